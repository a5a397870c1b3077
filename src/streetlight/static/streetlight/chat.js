/* The chat widget. Opens a panel, starts or resumes the conversation (the server keeps it under an
   httpOnly cookie), sends typed messages and quick replies, and asks for new messages every 2 s so
   an operator's answers appear without a reload. No inline script: settings come from data-*. */
(function () {
  "use strict";
  var POLL_EVERY = 2000, TYPING_EVERY = 3000;
  var widget = document.getElementById("chat-widget");
  if (!widget || !window.fetch) return;
  var d = widget.dataset;
  var openButton = document.getElementById("chat-open");
  var panel = document.getElementById("chat-panel");
  var closeButton = document.getElementById("chat-close");
  var log = document.getElementById("chat-log");
  var quick = document.getElementById("chat-quick");
  var typingLine = document.getElementById("chat-typing");
  var error = document.getElementById("chat-error");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var csrf = widget.querySelector("[name=csrfmiddlewaretoken]");
  var lastId = 0, seen = {}, timer = null, started = false, typingSent = 0, busy = false;
  var URL_RE = /(https?:\/\/[^\s]+)/g;

  widget.hidden = false;

  function who(message) {
    if (message.sender === "resident") return d.labelResident;
    if (message.sender === "operator") return message.operator || d.labelOperator;
    return d.labelBot;
  }

  function fillText(node, text) {
    text.split(URL_RE).forEach(function (part, i) {
      if (i % 2 === 1) {
        var a = document.createElement("a");
        a.href = part; a.textContent = part; a.rel = "noopener";
        node.appendChild(a);
      } else if (part) {
        node.appendChild(document.createTextNode(part));
      }
    });
  }

  function showQuick(message) {
    quick.textContent = "";
    if (!message || message.sender === "resident") return;
    (message.quick_replies || []).forEach(function (option) {
      var b = document.createElement("button");
      b.type = "button"; b.textContent = option.label; b.dataset.value = option.value;
      b.addEventListener("click", function () { choose(option.value); });
      quick.appendChild(b);
    });
  }

  function render(state) {
    if (!state) return;
    var latest = null;
    (state.messages || []).forEach(function (m) {
      if (seen[m.id]) return;
      seen[m.id] = true;
      var item = document.createElement("div");
      item.className = "chat-msg chat-msg-" + m.sender;
      item.dataset.id = m.id;
      var label = document.createElement("span");
      label.className = "chat-who"; label.textContent = who(m);
      var body = document.createElement("span");
      body.className = "chat-text"; fillText(body, m.text);
      item.appendChild(label); item.appendChild(body);
      log.appendChild(item);
      lastId = Math.max(lastId, m.id);
      latest = m;
    });
    if (latest) { showQuick(latest); log.scrollTop = log.scrollHeight; }
    typingLine.textContent = state.typing ? d.labelTyping : "";
    if (state.conversation) widget.dataset.status = state.conversation.status;
  }

  function request(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf ? csrf.value : "";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options);
  }

  function post(body) {
    body.after = lastId;
    body.language = d.language;
    error.textContent = "";
    busy = true;
    return request("POST", d.endpoint, body).then(function (resp) {
      return resp.json().then(function (data) {
        if (!resp.ok) { error.textContent = data.title || d.labelOffline; return false; }
        render(data); return true;
      });
    }).catch(function () { error.textContent = d.labelOffline; return false; })
      .then(function (ok) { busy = false; return ok; });
  }

  function poll() {
    if (busy) return;
    request("GET", d.endpoint + "?after=" + lastId).then(function (resp) {
      return resp.ok ? resp.json() : null;
    }).then(render).catch(function () { /* the next poll tries again */ });
  }

  function choose(value) {
    if (value === "location") {
      if (!navigator.geolocation) { error.textContent = d.labelNoLocation; return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        post({ choice: "location", lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy: pos.coords.accuracy });
      }, function () { error.textContent = d.labelNoLocation; }, { enableHighAccuracy: true, timeout: 15000 });
    } else {
      quick.textContent = "";
      post({ choice: value });
    }
    input.focus();
  }

  function open() {
    panel.hidden = false;
    openButton.setAttribute("aria-expanded", "true");
    openButton.hidden = true;
    input.focus();
    if (!started) {
      started = true;
      post({ start: true });
    }
    if (!timer) timer = window.setInterval(poll, POLL_EVERY);
  }

  function close() {
    panel.hidden = true;
    openButton.hidden = false;
    openButton.setAttribute("aria-expanded", "false");
    if (timer) { window.clearInterval(timer); timer = null; }
    openButton.focus();
  }

  openButton.addEventListener("click", open);
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    post({ text: text }).then(function (ok) { if (ok) input.value = ""; input.focus(); });
  });
  input.addEventListener("input", function () {
    if (Date.now() - typingSent < TYPING_EVERY) return;
    typingSent = Date.now();
    request("POST", d.typing, {}).catch(function () { /* typing is a courtesy */ });
  });
})();
