/* The chat desk: the operator's view of one conversation. New messages every 2 s, answers sent
   without a reload, and a "typing…" signal both ways. Without script the form still posts. */
(function () {
  "use strict";
  var POLL_EVERY = 2000, TYPING_EVERY = 3000;
  var desk = document.getElementById("chat-desk");
  if (!desk || !window.fetch) return;
  var d = desk.dataset;
  var log = document.getElementById("chat-desk-log");
  var typingLine = document.getElementById("chat-desk-typing");
  var form = document.getElementById("chat-desk-form");
  var input = document.getElementById("chat-desk-input");
  var csrf = desk.querySelector("[name=csrfmiddlewaretoken]");
  var lastId = 0, seen = {}, typingSent = 0;

  Array.prototype.forEach.call(log.querySelectorAll("[data-id]"), function (item) {
    var id = parseInt(item.dataset.id, 10);
    seen[id] = true; lastId = Math.max(lastId, id);
  });
  log.scrollTop = log.scrollHeight;

  function who(m) {
    if (m.sender === "resident") return d.labelResident;
    if (m.sender === "operator") return m.operator || d.labelOperator;
    return d.labelBot;
  }

  function render(state) {
    if (!state) return;
    (state.messages || []).forEach(function (m) {
      if (seen[m.id]) return;
      seen[m.id] = true;
      var item = document.createElement("div");
      item.className = "chat-msg chat-msg-" + m.sender; item.dataset.id = m.id;
      var label = document.createElement("span"); label.className = "chat-who"; label.textContent = who(m);
      var body = document.createElement("span"); body.className = "chat-text"; body.textContent = m.text;
      item.appendChild(label); item.appendChild(document.createTextNode(" ")); item.appendChild(body);
      log.appendChild(item);
      lastId = Math.max(lastId, m.id);
    });
    log.scrollTop = log.scrollHeight;
    typingLine.textContent = state.typing ? d.labelTyping : "";
  }

  function send(method, url, body) {
    var headers = { "Accept": "application/json" };
    if (method === "POST") { headers["Content-Type"] = "application/json"; headers["X-CSRFToken"] = csrf ? csrf.value : ""; }
    return fetch(url, { method: method, credentials: "same-origin", headers: headers, body: body ? JSON.stringify(body) : undefined });
  }

  window.setInterval(function () {
    send("GET", d.poll + "?after=" + lastId).then(function (r) { return r.ok ? r.json() : null; })
      .then(render).catch(function () { /* next time */ });
  }, POLL_EVERY);

  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      send("POST", d.poll, { text: text, after: lastId }).then(function (r) {
        return r.json().then(function (data) {
          if (r.ok) { input.value = ""; render(data); } else { typingLine.textContent = data.title || ""; }
        });
      }).catch(function () { /* the text stays in the box */ });
      input.focus();
    });
    input.addEventListener("input", function () {
      if (Date.now() - typingSent < TYPING_EVERY) return;
      typingSent = Date.now();
      send("POST", d.typing, {}).catch(function () { /* a courtesy */ });
    });
  }
})();
