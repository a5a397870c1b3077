/* Warning form: click the map to set a circle's centre or to add the points of a polygon.
   The form works without it: the coordinates and the polygon are plain inputs. */
(function () {
  "use strict";
  var el = document.getElementById("alert-map");
  if (!el || typeof L === "undefined") { if (el) el.hidden = true; return; }
  var form = el.closest("form");
  var status = document.getElementById("alert-map-status");
  var map = L.map(el, { keyboard: true, scrollWheelZoom: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  var bounds = document.getElementById("city-bounds");
  var b = bounds ? JSON.parse(bounds.textContent) : null;  // [min_lat, min_lon, max_lat, max_lon]
  if (b) { map.fitBounds([[b[0], b[1]], [b[2], b[3]]]); } else { map.setView([0, 0], 2); }
  var field = function (name) { return form.querySelector("[name=" + name + "]"); };
  var shape = null, points = [];

  function mode() { var r = form.querySelector("[name=area_mode]:checked"); return r ? r.value : "area"; }
  function round(x) { return Math.round(x * 1e6) / 1e6; }
  function say(message) { if (status) { status.textContent = message; } }
  function draw(layer) { if (shape) { map.removeLayer(shape); } shape = layer ? layer.addTo(map) : null; }

  map.on("click", function (e) {
    var lat = round(e.latlng.lat), lon = round(e.latlng.lng);
    if (mode() === "circle") {
      field("circle_lat").value = lat;
      field("circle_lon").value = lon;
      var km = parseFloat(field("circle_radius_km").value) || 0.5;
      field("circle_radius_km").value = km;
      draw(L.circle([lat, lon], { radius: km * 1000 }));
      say(el.dataset.circleSet);
    } else if (mode() === "polygon") {
      points.push([lat, lon]);
      var ring = points.concat(points.length ? [points[0]] : []);
      field("polygon").value = ring.map(function (p) { return p[0] + "," + p[1]; }).join(" ");
      draw(points.length > 2 ? L.polygon(points) : L.polyline(points));
      say(el.dataset.pointAdded.replace("%s", points.length));
    }
  });
  var clear = document.getElementById("alert-map-clear");
  if (clear) {
    clear.hidden = false;
    clear.addEventListener("click", function () { points = []; field("polygon").value = ""; draw(null); say(""); });
  }
})();
