/* Insight dashboard: the map of reports per H3 cell, refreshed for one month at a time with the
   slider. Counts come from the same endpoint as the GeoJSON download; cells under the minimum
   count carry no number and are drawn hatched-grey. */
(function () {
  "use strict";
  var el = document.getElementById("insight-map");
  if (!el || typeof L === "undefined") return;
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 18 });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var layer = null;
  var slider = document.getElementById("f-month");
  var whole = document.getElementById("f-all-months");
  var label = document.getElementById("f-month-label");
  var wholeText = label ? label.textContent : "";
  var months = monthsBetween(el.dataset.from, el.dataset.to);
  var fitted = false;

  function monthsBetween(from, to) {
    var out = [], y = +from.slice(0, 4), m = +from.slice(5, 7);
    var endY = +to.slice(0, 4), endM = +to.slice(5, 7);
    while (y < endY || (y === endY && m <= endM)) {
      out.push(y + "-" + (m < 10 ? "0" : "") + m);
      m += 1; if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  function lastDay(month) {
    var d = new Date(Date.UTC(+month.slice(0, 4), +month.slice(5, 7), 0));
    return d.toISOString().slice(0, 10);
  }

  function colour(count, max) {
    if (count === null) return "#bbbbbb";
    var t = max > 0 ? Math.sqrt(count / max) : 0;  // square root: a few busy cells must not wash out the rest
    var ramp = ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"];
    return ramp[Math.min(ramp.length - 1, Math.floor(t * ramp.length))];
  }

  function chosenLayer() {
    var checked = document.querySelector("input[name=layer]:checked");
    return checked ? checked.value : "cells";
  }

  function areaValue(p, kind) {
    return kind === "insecurity" ? p.insecurity : p.recorded;
  }

  function load() {
    var params = new URLSearchParams(el.dataset.query);
    var kind = chosenLayer();
    if (whole && !whole.checked && months.length) {
      var month = months[+slider.value];
      params.set("from", month + "-01");
      params.set("to", lastDay(month));
      label.textContent = month;
    } else if (label) {
      label.textContent = wholeText;
    }
    var url = kind === "cells" ? el.dataset.cellsUrl : el.dataset.areasUrl;
    fetch(url + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (layer) map.removeLayer(layer);
        if (kind !== "cells") { drawAreas(data, kind); return; }
        var max = 0;
        data.features.forEach(function (f) { if (f.properties.count > max) max = f.properties.count; });
        layer = L.geoJSON(data, {
          style: function (f) {
            return { color: "#555", weight: 0.5, fillOpacity: 0.7, fillColor: colour(f.properties.count, max) };
          },
          onEachFeature: function (f, l) {
            var p = f.properties;
            l.bindTooltip(p.count === null ? el.dataset.none : p.count + " · " + p.top_category);
          }
        }).addTo(map);
        raiseOverlays();
        if (!fitted && data.features.length) { map.fitBounds(layer.getBounds()); fitted = true; }
        else if (!fitted) { map.setView([0, 0], 2); }
      });
  }

  var hotLayer = null;
  var hotToggle = document.getElementById("f-hotspots");
  function loadHotspots() {
    if (hotLayer) { map.removeLayer(hotLayer); hotLayer = null; }
    if (!hotToggle || !hotToggle.checked) return;
    fetch(el.dataset.hotspotsUrl + "?" + el.dataset.query, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !hotToggle.checked) return;
        hotLayer = L.geoJSON(data, {
          style: function (f) {
            var hot = f.properties["class"] > 0;
            return { color: hot ? "#b2182b" : "#2166ac", weight: 2 + Math.abs(f.properties["class"]), fill: false };
          },
          onEachFeature: function (f, l) {
            l.bindTooltip((f.properties["class"] > 0 ? el.dataset.hot : el.dataset.cold) + " · z = " + f.properties.z);
          }
        }).addTo(map);
      });
  }
  if (hotToggle) hotToggle.addEventListener("change", loadHotspots);

  /* The kernel density of the reports on H3 cells, shaded by their share of the densest cell
     (translucent greens, so the cells beneath still show); the legend is text in a live region, so
     a screen reader hears what appeared, or why nothing did. */
  var densityLayer = null;
  var densityToggle = document.getElementById("f-density");
  var densityLegend = document.getElementById("density-legend");
  function densityColour(share) {
    var ramp = ["#edf8fb", "#b2e2e2", "#66c2a4", "#2ca25f", "#006d2c"];
    return ramp[Math.min(ramp.length - 1, Math.floor(share * ramp.length))];
  }
  function loadDensity() {
    if (densityLayer) { map.removeLayer(densityLayer); densityLayer = null; }
    if (densityLegend) densityLegend.textContent = "";
    if (!densityToggle || !densityToggle.checked) return;
    fetch(el.dataset.densityUrl + "?" + el.dataset.query, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !densityToggle.checked) return;
        if (densityLayer) map.removeLayer(densityLayer);
        var p = data.properties || {};
        densityLayer = L.geoJSON(data, {
          className: "density",
          style: function (f) {
            var share = f.properties.share;
            return { stroke: false, fillColor: densityColour(share), fillOpacity: 0.2 + 0.45 * share };
          },
          onEachFeature: function (f, l) {
            l.bindTooltip(f.properties.density_per_km2.toFixed(1) + " / km²");
          }
        }).addTo(map);
        if (hotLayer) hotLayer.bringToFront();  // outlines over the fill
        if (densityLegend) {
          var legend = data.features.length ? (el.dataset.densityLegend || "")
            .replace("{max}", (p.max_density || 0).toFixed(1))
            .replace("{bandwidth}", String(Math.round(p.bandwidth_m || 0))) : "";
          densityLegend.textContent = [legend, p.note || ""].join(" ").trim();
        }
      });
  }
  if (densityToggle) {
    densityToggle.addEventListener("change", loadDensity);
    if (densityToggle.checked) loadDensity();  // the browser kept the tick (back, reload)
  }

  function raiseOverlays() {  // the cells or areas were redrawn: keep the overlays on top of them
    if (densityLayer) densityLayer.bringToFront();
    if (hotLayer) hotLayer.bringToFront();
  }

  var flashLayer = null;
  function chosenForecast() {
    var checked = document.querySelector("input[name=flashpoints]:checked");
    return checked ? checked.value : "";
  }
  function loadFlashpoints() {
    if (flashLayer) { map.removeLayer(flashLayer); flashLayer = null; }
    var chosen = chosenForecast();
    if (!chosen) return;
    fetch(el.dataset.flashpointsUrl + "?window=" + encodeURIComponent(chosen), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || chosenForecast() !== chosen) return;  // the analyst chose again meanwhile
        if (flashLayer) map.removeLayer(flashLayer);
        flashLayer = L.geoJSON(data, {
          className: "flashpoint",
          style: function (f) { return { color: "#6a3d9a", weight: 1, fillColor: "#6a3d9a", fillOpacity: 0.25 + 0.5 * f.properties.risk }; }
        }).addTo(map);
      });
  }
  document.querySelectorAll("input[name=flashpoints]").forEach(function (input) {
    input.addEventListener("change", loadFlashpoints);
  });

  function drawAreas(data, kind) {
    var max = 0;
    data.features.forEach(function (f) { var v = areaValue(f.properties, kind); if (v > max) max = v; });
    layer = L.geoJSON(data, {
      style: function (f) {
        var v = areaValue(f.properties, kind);
        return { color: "#333", weight: 1, fillOpacity: 0.65, fillColor: colour(v === null || v === undefined ? null : v, max) };
      },
      onEachFeature: function (f, l) {
        var p = f.properties, v = areaValue(p, kind);
        var text = v === null || v === undefined ? (kind === "insecurity" ? el.dataset.noIndex : el.dataset.noPolice)
          : (kind === "insecurity" ? Math.round(v) + " (n = " + p.inputs + ")" : String(v));
        l.bindTooltip(p.name + ": " + text);
      }
    }).addTo(map);
    raiseOverlays();
    if (!fitted && data.features.length) { map.fitBounds(layer.getBounds()); fitted = true; }
  }

  document.querySelectorAll("input[name=layer]").forEach(function (input) { input.addEventListener("change", load); });

  if (slider && months.length) {
    slider.max = String(months.length - 1);
    slider.value = String(months.length - 1);
    slider.addEventListener("input", load);
  }
  if (whole) {
    whole.addEventListener("change", function () { slider.disabled = whole.checked; load(); });
  }
  load();
})();
