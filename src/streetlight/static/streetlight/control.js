/* Control room: the queue's map, live updates by Server-Sent Events, filters without reload.
   Each event only says "report N changed"; the row is then fetched through the same access
   rules as the page, so a screen never shows what its user may not see. */
(function () {
  "use strict";
  var script = document.getElementById("control-script");
  var status = document.getElementById("live-status");
  var mapEl = document.getElementById("control-map");
  var markers = {};
  var cluster = null, map = null;

  function setStatus(state) {
    if (!status) return;
    status.textContent = status.dataset[state] || "";
    status.classList.toggle("is-lost", state === "lost");
  }

  function initMap() {
    if (!mapEl || typeof L === "undefined") return;
    // maxZoom on the map itself: without a tile layer (no STREETLIGHT_TILE_URL) the map has none,
    // and MarkerCluster throws "Map has no maxZoom specified", which stopped the live stream too.
    map = L.map(mapEl, { scrollWheelZoom: true, maxZoom: 19 });
    if (mapEl.dataset.tileUrl) {
      L.tileLayer(mapEl.dataset.tileUrl, { maxZoom: 19, attribution: mapEl.dataset.tileAttribution || "" }).addTo(map);
    }
    cluster = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    cluster.addTo(map);
    var bounds = document.getElementById("city-bounds");
    var b = bounds ? JSON.parse(bounds.textContent) : null;  // [min_lat, min_lon, max_lat, max_lon]
    if (b) { map.fitBounds([[b[0], b[1]], [b[2], b[3]]]); } else { map.setView([0, 0], 2); }
    loadPoints();
  }

  function upsertMarker(id, lat, lon, label) {
    if (!cluster || lat === undefined || lat === null || lat === "") return;
    if (markers[id]) { cluster.removeLayer(markers[id]); }
    var marker = L.marker([+lat, +lon], { title: label, keyboard: true });
    marker.on("click", function () { var row = document.getElementById("report-" + id); if (row) { row.scrollIntoView({ block: "center" }); var a = row.querySelector("a"); if (a) a.focus(); } });
    markers[id] = marker;
    cluster.addLayer(marker);
  }

  function loadPoints() {
    if (!cluster) return;
    cluster.clearLayers(); markers = {};
    var data = document.getElementById("queue-points");
    if (!data) return;
    var points = JSON.parse(data.textContent);
    points.forEach(function (p) { upsertMarker(p.id, p.lat, p.lon, p.ref); });
    if (points.length) { map.fitBounds(L.latLngBounds(points.map(function (p) { return [p.lat, p.lon]; })), { maxZoom: 15 }); }
  }

  function refreshRow(id) {
    // The screen's filters go along: a report that does not match them is not shown.
    var url = script.dataset.rowUrl.replace(/0\/$/, id + "/") + window.location.search;
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } }).then(function (r) {
      if (r.status === 404) {  // no longer visible to this user: its row and its marker go
        var gone = document.getElementById("report-" + id); if (gone) gone.remove();
        if (markers[id] && cluster) { cluster.removeLayer(markers[id]); delete markers[id]; }
        return null;
      }
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var tmp = document.createElement("tbody");
      tmp.innerHTML = html.trim();
      var row = tmp.firstElementChild;
      if (!row) return;
      row.classList.add("is-new");
      var existing = document.getElementById(row.id);
      var body = document.getElementById("queue-rows");
      if (existing) { existing.replaceWith(row); }
      else if (body) {
        var empty = body.querySelector(".queue-empty"); if (empty) empty.remove();
        body.insertBefore(row, body.firstChild);
      }
      upsertMarker(id, row.dataset.lat, row.dataset.lon, row.querySelector("a") ? row.querySelector("a").textContent : "");
    });
  }

  function connect() {
    if (!window.EventSource || !script) return;
    setStatus("connecting");
    var source = new EventSource(script.dataset.streamUrl);
    source.addEventListener("open", function () { setStatus("live"); });
    source.addEventListener("error", function () { setStatus("lost"); });
    source.addEventListener("change", function (e) {
      var data = JSON.parse(e.data);
      refreshRow(data.report);
    });
  }

  document.body.addEventListener("htmx:afterSwap", function (e) { if (e.target && e.target.id === "queue-body") loadPoints(); });
  connect();  // live updates even if the map cannot load
  initMap();
})();
