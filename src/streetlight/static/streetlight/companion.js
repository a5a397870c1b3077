/* Walk me home. The resident's page shares the phone's position (watchPosition, sent every 20 s);
   the contacts' page draws the last position on a Leaflet map and asks for news every 15 s.
   Both pages work without it: check-in and alert are plain forms, the contacts' page refreshes. */
(function () {
  "use strict";
  var SEND_EVERY = 20000, POLL_EVERY = 15000;
  function text(id) { var t = document.getElementById(id); return t ? t.innerHTML.trim() : ""; }
  function hhmm(iso) {
    var d = iso ? new Date(iso) : new Date();
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function resident(share) {
    var endpoint = share.dataset.endpoint;
    var csrf = document.querySelector("[name=csrfmiddlewaretoken]");
    var status = document.getElementById("walk-status");
    var latest = null, sentAt = 0, stopped = false, timer = null;

    function send() {
      if (!latest || stopped) return;
      sentAt = Date.now();
      fetch(endpoint, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify(latest)
      }).then(function (resp) {
        if (resp.status === 410) {
          stopped = true; share.textContent = text("msg-ended");
          window.setTimeout(function () { window.location.reload(); }, 1500);
          return null;
        }
        share.classList.remove("offline");
        share.textContent = text("msg-sharing") + " " + hhmm();
        return resp.ok ? resp.json() : null;
      }).then(function (state) {
        if (state && state.status === "alerted" && status && !status.dataset.alerted) {
          status.dataset.alerted = "1"; status.textContent = text("msg-alerted");
        }
      }).catch(function () { share.classList.add("offline"); share.textContent = text("msg-offline"); });
    }
    if (!navigator.geolocation) { share.textContent = text("msg-no-geo"); return; }
    navigator.geolocation.watchPosition(function (pos) {
      latest = { lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy: Math.round(pos.coords.accuracy || 0) };
      if (Date.now() - sentAt >= SEND_EVERY) send();  // the first fix at once, then at most every 20 s
    }, function () { share.textContent = text("msg-no-geo"); },
    { enableHighAccuracy: true, maximumAge: 10000, timeout: 30000 });
    timer = window.setInterval(function () { if (stopped) { window.clearInterval(timer); } else { send(); } }, SEND_EVERY);

    var alertForm = document.getElementById("alert-form");
    if (alertForm) {
      alertForm.addEventListener("submit", function (e) {
        if (alertForm.querySelector("[name=confirm]")) return;
        e.preventDefault();
        if (!window.confirm(text("msg-confirm"))) return;
        var yes = document.createElement("input");
        yes.type = "hidden"; yes.name = "confirm"; yes.value = "yes";
        alertForm.appendChild(yes); alertForm.submit();
      });
    }
  }

  function watcher(el) {
    var label = document.getElementById("watch-status-label");
    var last = document.getElementById("watch-last");
    var status = document.getElementById("watch-status");
    var map = null, marker = null, circle = null, timer = null;
    if (typeof L !== "undefined") {
      el.hidden = false;
      map = L.map(el, { keyboard: true, scrollWheelZoom: false }).setView([0, 0], 2);
      if (el.dataset.tileUrl) {
        L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" }).addTo(map);
      }
    }
    function show(state) {
      if (label) label.textContent = state.status_label;
      if (status) status.className = "companion-status companion-" + state.status;
      var p = state.position;
      if (!p) { if (last) last.textContent = text("msg-none"); return; }
      if (last) last.textContent = p.lat + ", " + p.lon + " — " + text("msg-updated") + " " + hhmm(p.recorded_at);
      if (!map) return;
      var ll = L.latLng(p.lat, p.lon);
      if (!marker) {
        marker = L.marker(ll, { keyboard: false }).addTo(map);
        circle = L.circle(ll, { radius: p.accuracy || 0, weight: 1 }).addTo(map);
        map.setView(ll, 16);
      } else {
        marker.setLatLng(ll); circle.setLatLng(ll).setRadius(p.accuracy || 0); map.panTo(ll);
      }
    }
    function ended() {
      window.clearInterval(timer);
      if (map) { map.remove(); el.hidden = true; }
      if (last) last.textContent = "";
      if (status) status.textContent = text("msg-ended");
    }
    function poll() {
      fetch(el.dataset.stateUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (resp) {
          if (resp.status === 410 || resp.status === 404) { ended(); return null; }
          return resp.ok ? resp.json() : null;
        })
        .then(function (state) { if (state) show(state); })
        .catch(function () { if (last) last.textContent = text("msg-offline"); });
    }
    var initial = document.getElementById("watch-state");
    if (initial) show(JSON.parse(initial.textContent));
    timer = window.setInterval(poll, POLL_EVERY);
  }

  var share = document.getElementById("share-status");
  if (share) resident(share);
  var watch = document.getElementById("watch-map");
  if (watch) watcher(watch);
})();
