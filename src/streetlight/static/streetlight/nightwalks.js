/* Safety walks: on the audit form, a Leaflet map where each rated place gets a numbered pin (tap the
   map or use the phone's location), and "Add another place" without reloading the page. On the
   night safety map, the cells drawn over the city. Without JavaScript both pages work as forms and
   tables. */
(function () {
  "use strict";
  function text(id) { var t = document.getElementById(id); return t ? t.innerHTML.trim() : ""; }
  function fill(msg, n) { return msg.replace("%(n)s", n); }
  function json(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function baseMap(el) {
    if (!el || typeof L === "undefined") return null;
    each(document.querySelectorAll(".js-only"), function (x) { x.hidden = false; });
    var map = L.map(el, { keyboard: true, scrollWheelZoom: false });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
    }
    var gj = json("areas-geojson"), areas = null;
    if (gj && gj.features && gj.features.length) {
      areas = L.geoJSON(gj, { style: { color: "#0b4f8a", weight: 2, fillOpacity: 0.04 }, interactive: false }).addTo(map);
      map.fitBounds(areas.getBounds());
    } else { map.setView([0, 0], 2); }
    return { map: map, areas: areas };
  }

  function auditForm(form) {
    var base = baseMap(document.getElementById("nw-map"));
    var map = base && base.map;
    var route = json("walk-route");
    if (map && route && route.type === "LineString") {
      var line = L.geoJSON(route, { style: { color: "#6a1b9a", weight: 4, dashArray: "6 6" }, interactive: false }).addTo(map);
      map.fitBounds(line.getBounds(), { maxZoom: 17 });
    }
    var total = form.querySelector("[name=points-TOTAL_FORMS]");
    var max = +(form.querySelector("[name=points-MAX_NUM_FORMS]") || { value: 40 }).value;
    var markers = [], active = null;

    function points() { return form.querySelectorAll("[data-point]"); }
    function indexOf(fs) { return Array.prototype.indexOf.call(points(), fs); }
    function setActive(fs) {
      active = fs;
      each(points(), function (p) {
        var b = p.querySelector(".nw-pick"); if (b) b.setAttribute("aria-pressed", p === fs ? "true" : "false");
        p.classList.toggle("nw-active", p === fs);
      });
    }
    function place(fs, lat, lon, announce) {
      var i = indexOf(fs);
      var latIn = fs.querySelector("input[name$='-lat']"), lonIn = fs.querySelector("input[name$='-lon']");
      latIn.value = (+lat).toFixed(6); lonIn.value = (+lon).toFixed(6);
      if (map) {
        var ll = L.latLng(+lat, +lon);
        if (markers[i]) { markers[i].setLatLng(ll); }
        else {
          markers[i] = L.marker(ll, { title: fill(text("msg-pin"), i + 1), keyboard: false,
            icon: L.divIcon({ className: "nw-pin", html: String(i + 1), iconSize: [28, 28] }) }).addTo(map);
        }
      }
      if (announce) fs.querySelector(".nw-pin-status").textContent = fill(text("msg-pin"), i + 1) + " " + latIn.value + ", " + lonIn.value;
    }
    function wire(fs) {
      fs.addEventListener("focusin", function () { setActive(fs); });
      var pick = fs.querySelector(".nw-pick");
      if (pick && map) { pick.hidden = false; pick.addEventListener("click", function () { setActive(fs); el.scrollIntoView({ block: "center" }); }); }
      else if (pick) { pick.hidden = true; }
      var locate = fs.querySelector(".nw-locate");
      if (locate && navigator.geolocation) {
        locate.hidden = false;
        locate.addEventListener("click", function () {
          var status = fs.querySelector(".nw-pin-status");
          status.textContent = text("msg-locating");
          navigator.geolocation.getCurrentPosition(function (pos) {
            place(fs, pos.coords.latitude, pos.coords.longitude, true);
            if (map) map.setView([pos.coords.latitude, pos.coords.longitude], 16);
          }, function () { status.textContent = text("msg-no-location"); },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
        });
      } else if (locate) { locate.hidden = true; }
      each(fs.querySelectorAll("input[name$='-lat'], input[name$='-lon']"), function (input) {
        input.addEventListener("change", function () {
          var la = fs.querySelector("input[name$='-lat']").value, lo = fs.querySelector("input[name$='-lon']").value;
          if (la && lo && isFinite(+la) && isFinite(+lo)) place(fs, la, lo, false);
        });
      });
      var la0 = fs.querySelector("input[name$='-lat']").value, lo0 = fs.querySelector("input[name$='-lon']").value;
      if (la0 && lo0 && isFinite(+la0) && isFinite(+lo0)) place(fs, la0, lo0, false);
    }
    var el = document.getElementById("nw-map");
    each(points(), wire);
    setActive(points()[points().length - 1]);
    if (map) {
      map.on("click", function (e) { if (active) place(active, e.latlng.lat, e.latlng.lng, true); });
      el.addEventListener("keydown", function (e) {
        if (e.target !== el || !active) return;
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); var c = map.getCenter(); place(active, c.lat, c.lng, true); }
      });
    }
    var add = document.getElementById("add-point"), template = document.getElementById("point-template");
    add.addEventListener("click", function (e) {
      var n = +total.value;
      if (n >= max) return;  // the server says why
      e.preventDefault();
      var html = template.innerHTML.replace(/__prefix__/g, String(n)).replace(/__number__/g, String(n + 1));
      var holder = document.createElement("div"); holder.innerHTML = html;
      var fs = holder.firstElementChild;
      document.getElementById("nw-points").appendChild(fs);
      total.value = n + 1;
      wire(fs); setActive(fs);
      document.getElementById("nw-added").textContent = fill(text("msg-added"), n + 1);
      var title = fs.querySelector(".nw-point-title"); title.focus();
    });
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  function nightMap() {
    var base = baseMap(document.getElementById("nw-map"));
    if (!base) return;
    var url = text("nw-cells-url").replace(/&amp;/g, "&");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (gj) {
      var colours = ["#b2182b", "#ef8a62", "#67a9cf", "#2166ac"];
      var layer = L.geoJSON(gj, {
        style: function (f) {
          var m = f.properties.feeling;
          if (m === null || m === undefined) return { color: "#777", weight: 1, fillOpacity: 0.1, dashArray: "3 3" };
          return { color: "#333", weight: 1, fillColor: colours[Math.min(3, Math.round(m))], fillOpacity: 0.55 };
        },
        onEachFeature: function (f, l) {
          var p = f.properties;
          l.bindTooltip(p.audits === null ? text("msg-too-few")
            : text("msg-feeling") + ": " + p.feeling + " · " + text("msg-audits") + ": " + p.audits);
        }
      }).addTo(base.map);
      if (gj.features.length) base.map.fitBounds(layer.getBounds(), { maxZoom: 15 });
    }).catch(function () { /* the table below has the same figures */ });
  }

  var form = document.getElementById("audit-form");
  if (form) auditForm(form);
  if (document.getElementById("nw-cells")) nightMap();
})();
