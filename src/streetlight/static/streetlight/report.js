/* Progressive enhancement of the report forms: steps, category search, fields shown when they
   apply, a draft kept in this tab, and a submission that survives a dropped connection by retrying
   with the same Idempotency-Key. Without JavaScript the forms post normally. */
(function () {
  "use strict";
  var form = document.getElementById("report-form") || document.getElementById("unsafe-form");
  if (!form) return;
  function text(id) { var t = document.getElementById(id); return t ? t.innerHTML.trim() : ""; }
  function show(el, on) { el.hidden = !on; }
  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) {
    if (el.id !== "use-my-location") el.hidden = false;
  });

  /* Draft in sessionStorage: survives a reload, disappears with the tab (shared phones). */
  var draftKey = "streetlight-draft-" + form.dataset.draft;
  var skip = { csrfmiddlewaretoken: 1, photos: 1 };
  function saveDraft() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name] || el.type === "file" || el.type === "submit") return;
      if (el.type === "radio" || el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else { data[el.name] = el.value; }
    });
    try { sessionStorage.setItem(draftKey, JSON.stringify(data)); } catch (e) { /* private mode */ }
  }
  function restoreDraft() {
    if (document.getElementById("error-summary")) return;  // the server's copy is newer
    var raw = null;
    try { raw = sessionStorage.getItem(draftKey); } catch (e) { return; }
    if (!raw) return;
    var data = JSON.parse(raw);
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data) || skip[el.name] || el.type === "file" || el.type === "submit") return;
      var v = data[el.name];
      if (el.type === "radio" || el.type === "checkbox") { el.checked = v.indexOf(el.value) !== -1; }
      else { el.value = v; }
    });
  }
  function clearDraft() { try { sessionStorage.removeItem(draftKey); } catch (e) { /* ignore */ } }
  restoreDraft();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  /* Fields that apply only to some choices. */
  function sync() {
    var kind = form.querySelector("[name=location_kind]:checked");
    Array.prototype.forEach.call(form.querySelectorAll("[data-show-for]"), function (el) {
      show(el, !!kind && kind.value === el.dataset.showFor);
    });
    var when = form.querySelector("[name=when]:checked");
    Array.prototype.forEach.call(form.querySelectorAll("[data-show-for-when]"), function (el) {
      show(el, !!when && el.dataset.showForWhen.split(" ").indexOf(when.value) !== -1);
    });
    var none = form.querySelector("[name=recipients][value=none]");
    if (none && none.checked) {
      Array.prototype.forEach.call(form.querySelectorAll("[name=recipients]"), function (b) { if (b !== none) b.checked = false; });
    }
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "recipients" && e.target.value !== "none" && e.target.checked) {
      var none = form.querySelector("[name=recipients][value=none]"); if (none) none.checked = false;
    }
    sync();
  });
  sync();

  /* Category search. */
  var search = document.getElementById("category-search");
  if (search) {
    // Enter (the phone keyboard's search key) filters; it must not send the form.
    search.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase();
      Array.prototype.forEach.call(form.querySelectorAll(".category-group"), function (group) {
        var any = false;
        Array.prototype.forEach.call(group.querySelectorAll(".choice"), function (c) {
          var hit = !q || (c.dataset.keywords + " " + c.textContent).toLowerCase().indexOf(q) !== -1;
          c.hidden = !hit; any = any || hit;
        });
        group.hidden = !any; group.open = !!q && any;
      });
    });
  }

  /* Steps, only when the page shows no errors (then every field stays in view). */
  var steps = form.querySelectorAll(".step");
  var nav = form.querySelector(".step-nav"), submitRow = form.querySelector("[data-submit-row]");
  var progress = form.querySelector(".step-progress");
  var stepped = false, current = 0, go = null;
  if (steps.length > 1 && nav && !document.getElementById("error-summary")) {
    stepped = true;
    var back = nav.querySelector("[data-step-back]"), next = nav.querySelector("[data-step-next]");
    go = function (i, focus) {
      current = i;
      Array.prototype.forEach.call(steps, function (s, n) { s.hidden = n !== i; });
      back.hidden = i === 0; next.hidden = i === steps.length - 1;
      submitRow.hidden = i !== steps.length - 1;
      progress.textContent = text("msg-step").replace("%(n)s", i + 1).replace("%(total)s", steps.length);
      document.dispatchEvent(new Event("streetlight:step"));
      if (focus) { var h = steps[i].querySelector("h2"); h.tabIndex = -1; h.focus(); }
    };
    back.addEventListener("click", function () { go(Math.max(0, current - 1), true); });
    next.addEventListener("click", function () { go(Math.min(steps.length - 1, current + 1), true); });
    nav.hidden = false;
    go(0, false);
  } else if (nav) { nav.hidden = true; if (progress) progress.hidden = true; }

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  if (window.StreetlightMap) window.StreetlightMap.init(form);

  /* Submission that survives a dropped connection. */
  var status = document.getElementById("send-status");
  var sending = false, attempt = 0, timer = null, lastBody = null;
  function send() {
    if (sending || !lastBody) return;
    sending = true; clearTimeout(timer);
    status.className = "send-status"; status.textContent = text("msg-sending");
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: lastBody, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.redirected) { clearDraft(); window.location.assign(response.url); return null; }
      return response.text().then(function (html) {
        // A #fragment left by an error link would take the focus from the new error summary.
        if (window.location.hash) history.replaceState(null, "", window.location.pathname + window.location.search);
        document.open(); document.write(html); document.close();
      });
    }).catch(function () {
      sending = false; attempt += 1;
      status.className = "send-status offline"; status.textContent = text("msg-offline");
      timer = setTimeout(send, Math.min(30000, 1000 * Math.pow(2, attempt)));
    });
  }
  window.addEventListener("online", function () { if (lastBody && !sending) send(); });
  form.addEventListener("submit", function (e) {
    // Enter in a field of an earlier step means "Next", not "send the half-filled form".
    if (stepped && current < steps.length - 1) { e.preventDefault(); go(current + 1, true); return; }
    if (!window.fetch || !window.FormData) return;
    e.preventDefault();
    if (sending) return;
    saveDraft();
    try { lastBody = new FormData(form, e.submitter || null); }
    catch (err) { lastBody = new FormData(form); if (e.submitter && e.submitter.name) lastBody.append(e.submitter.name, e.submitter.value); }
    attempt = 0; send();
  });
})();
