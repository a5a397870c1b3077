/* Location picker: Leaflet map with the city's areas, a draggable pin and "use my location".
   The form works without it: coordinates, an area or "rather not say" are plain inputs. */
(function () {
  "use strict";
  function text(id) { var t = document.getElementById(id); return t ? t.innerHTML.trim() : ""; }

  function initMap(form) {
    var el = document.getElementById("map");
    if (!el || typeof L === "undefined") { if (el) el.hidden = true; return; }
    var lat = form.querySelector("[name=lat]"), lon = form.querySelector("[name=lon]");
    var precision = form.querySelector("[name=precision_m]");
    var status = document.getElementById("pin-status");
    var map = L.map(el, { keyboard: true, scrollWheelZoom: false });
    var tiles = el.dataset.tileUrl;
    if (tiles) { L.tileLayer(tiles, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map); }
    var areas = null;
    var data = document.getElementById("areas-geojson");
    if (data) {
      var gj = JSON.parse(data.textContent);
      if (gj.features && gj.features.length) {
        areas = L.geoJSON(gj, { style: { color: "#0b4f8a", weight: 2, fillOpacity: 0.06 }, interactive: false }).addTo(map);
      }
    }
    function fit() { if (areas) { map.fitBounds(areas.getBounds()); } else { map.setView([0, 0], 2); } }
    fit();
    // A map set up in a hidden step (or a hidden "point" choice) had no size, so fit() framed the
    // whole world: frame the city again the first time the map is shown.
    if (!el.offsetWidth && window.ResizeObserver) {
      var shown = new ResizeObserver(function () {
        if (el.offsetWidth) { shown.disconnect(); map.invalidateSize(); fit(); }
      });
      shown.observe(el);
    }
    var marker = null;

    function choosePoint() {
      var radio = form.querySelector("[name=location_kind][value=point]");
      if (radio && !radio.checked) { radio.checked = true; radio.dispatchEvent(new Event("change", { bubbles: true })); }
    }
    function place(latlng, metres, announce) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: text("msg-pin") }).addTo(map);
        marker.on("dragend", function () { place(marker.getLatLng(), 20, true); });
      } else { marker.setLatLng(latlng); }
      lat.value = latlng.lat.toFixed(6); lon.value = latlng.lng.toFixed(6);
      if (precision) precision.value = Math.round(metres || 20);
      choosePoint();
      [lat, lon].forEach(function (i) { i.dispatchEvent(new Event("input", { bubbles: true })); });
      if (announce && status) status.textContent = text("msg-pin") + " " + lat.value + ", " + lon.value;
    }
    if (lat.value && lon.value) { place(L.latLng(+lat.value, +lon.value), precision && precision.value, false); }
    map.on("click", function (e) { place(e.latlng, 20, true); });
    el.addEventListener("keydown", function (e) {
      if (e.target !== el) return;  // Enter on a zoom button, the pin or a link does its own thing
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); place(map.getCenter(), 50, true); }
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        if (lat.value && lon.value && isFinite(+lat.value) && isFinite(+lon.value)) {
          place(L.latLng(+lat.value, +lon.value), 20, false); map.panTo(marker.getLatLng());
        }
      });
    });
    var locate = document.getElementById("use-my-location");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        if (status) status.textContent = text("msg-locating");
        navigator.geolocation.getCurrentPosition(function (pos) {
          var ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
          place(ll, pos.coords.accuracy, true); map.setView(ll, 16);
        }, function () { if (status) status.textContent = text("msg-no-location"); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }
    // The map may start inside a hidden step: redraw when it becomes visible.
    document.addEventListener("streetlight:step", function () { map.invalidateSize(); });
  }
  window.StreetlightMap = { init: initMap };
})();
