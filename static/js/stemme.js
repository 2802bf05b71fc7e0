/* Stemme: small helpers on top of htmx. Everything works without this file (Save buttons, static
   hints); this adds a live character counter and makes autosave survive a lost connection or a
   closed tab. Translated texts come from data attributes the server renders (no inline scripts). */
(function () {
  "use strict";

  var RETRY_MS = 5000;

  /* --- character counter: <textarea maxlength> and its [data-counter] ------------------------ */

  function counterFor(textarea) {
    var byId = textarea.id && document.querySelector('[data-counter="' + textarea.id + '"]');
    if (byId) return byId;
    for (var node = textarea.parentElement; node && node.tagName !== "FORM"; node = node.parentElement) {
      var found = node.querySelector("[data-counter]");
      if (found) return found;
    }
    return null;
  }

  function updateCounter(textarea) {
    var counter = counterFor(textarea);
    var template = counter && counter.getAttribute("data-counter-text");
    if (!template) return;
    var max = textarea.maxLength;
    // Line breaks are sent as two characters but stored as one; count what is stored.
    var count = textarea.value.length;
    counter.textContent = template.replace("{count}", count).replace("{max}", max);
    counter.classList.toggle("over", count >= max);
    counter.hidden = false;
  }

  function initCounters(root) {
    var areas = root.querySelectorAll ? root.querySelectorAll("textarea[maxlength]") : [];
    for (var i = 0; i < areas.length; i++) updateCounter(areas[i]);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[maxlength]")) updateCounter(event.target);
  });

  /* --- autosave: form[data-autosave] posted by htmx -------------------------------------------- */

  // Per form: how many edits were made, and how many of them the last good save included.
  var edits = new WeakMap();
  var savedUpTo = new WeakMap();
  var submitting = false;

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function isDirty(form) {
    return form.isConnected && (edits.get(form) || 0) > (savedUpTo.get(form) || 0);
  }

  function statusOf(form) {
    return form.querySelector("[data-save-status]");
  }

  document.addEventListener("input", function (event) {
    var form = autosaveForm(event.target);
    if (form) edits.set(form, (edits.get(form) || 0) + 1);
  });

  document.addEventListener("submit", function (event) {
    // The Save button, or keeping one of two devices' versions: leaving is intended.
    if (autosaveForm(event.target) || event.target.closest("[data-unsaved]")) submitting = true;
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    form._stemmeEditsSent = edits.get(form) || 0;
    var status = statusOf(form);
    var saving = form.getAttribute("data-saving-text");
    // Only over a saved or empty status: "not saved, no connection" stays until a save succeeds.
    if (status && saving && !form._stemmeFailed) status.textContent = saving;
  });

  // Every autosave answer, htmx's and saveNow's, is read here: a 2xx answer stored the edits sent
  // unless it says `X-Autosave: not-saved`. htmx swaps its body in (the status, the new revision).
  function answered(form, status, autosaveHeader, sent) {
    if (status < 200 || status >= 300) return false;
    if (autosaveHeader !== "not-saved") savedUpTo.set(form, Math.max(savedUpTo.get(form) || 0, sent));
    return true;
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    var xhr = event.detail.xhr;
    if (!form || !xhr) return;
    if (answered(form, xhr.status, xhr.getResponseHeader("X-Autosave"), form._stemmeEditsSent || 0)) {
      form._stemmeFailed = false;
      return;
    }
    form._stemmeFailed = true;
    var status = statusOf(form);
    if (xhr.status >= 400 && xhr.status < 500) {
      // Refused (the pathway was closed, the entry removed, the session ran out): trying again
      // cannot help. Say so; the text stays in the field and the page warns before leaving.
      if (status) status.textContent = form.getAttribute("data-refused-text") || "";
      return;
    }
    // No connection or a server error: say so, and try again in a moment (nothing typed is lost).
    if (status) status.textContent = form.getAttribute("data-offline-text") || "";
    clearTimeout(form._stemmeRetry);
    form._stemmeRetry = setTimeout(function () {
      if (form.isConnected && isDirty(form) && window.htmx) window.htmx.trigger(form, "input");
    }, RETRY_MS);
  });

  // The connection is back: save what waits at once, not at the next retry.
  window.addEventListener("online", function () {
    var forms = document.querySelectorAll("form[data-autosave]");
    for (var i = 0; i < forms.length; i++) {
      if (isDirty(forms[i]) && window.htmx) {
        clearTimeout(forms[i]._stemmeRetry);
        window.htmx.trigger(forms[i], "input");
      }
    }
  });

  // The page is hidden (tab closed, phone locked, another app): save at once, not in a second.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "hidden") return;
    var forms = document.querySelectorAll("form[data-autosave]");
    for (var i = 0; i < forms.length; i++) {
      if (isDirty(forms[i])) saveNow(forms[i]);
    }
  });

  function saveNow(form) {
    // htmx is sending this form already: a second save on the same revision would meet itself
    // as a conflict. htmx's own answer arrives as long as the page lives.
    if (form.classList.contains("htmx-request") || !window.htmx) return;
    var sent = edits.get(form) || 0;
    fetch(form.getAttribute("hx-post") || form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
      keepalive: true
    }).then(function (response) {
      var header = response.headers.get("X-Autosave");
      if (!answered(form, response.status, header, sent) || header === "not-saved") return null;
      return response.text().then(function (body) {
        var status = statusOf(form);
        if (status) window.htmx.swap(status, body, { swapStyle: "innerHTML" }); // as htmx swaps its own
      });
    }).catch(function () { /* the retry after the next input saves it */ });
  }

  window.addEventListener("beforeunload", function (event) {
    if (submitting) return;
    var forms = document.querySelectorAll("form[data-autosave]");
    var unsaved = document.querySelector("[data-unsaved]") !== null;
    for (var i = 0; i < forms.length && !unsaved; i++) unsaved = isDirty(forms[i]);
    if (unsaved) {
      event.preventDefault();
      event.returnValue = ""; // older browsers show their own warning only with this set
    }
  });

  /* --- idle warning: #idle-warning shows five minutes before a professional's login runs out ---- */

  function watchIdle(warning) {
    var after = Number(warning.getAttribute("data-idle-warning-after")) * 1000;
    var timer = null;
    function restart() {
      warning.hidden = true;
      clearTimeout(timer);
      timer = setTimeout(function () { warning.hidden = false; }, after);
    }
    // Any request htmx makes (the "Stay logged in" button among them) counts as activity.
    document.addEventListener("htmx:afterRequest", restart);
    restart();
  }

  /* --- start, and again on content htmx swaps in ------------------------------------------------ */

  /* --- print: button[data-print] (hidden without JavaScript: the page says to use the browser's) -- */

  function initPrint() {
    var buttons = document.querySelectorAll("button[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () { window.print(); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    initCounters(document);
    initPrint();
    var warning = document.getElementById("idle-warning");
    if (warning) watchIdle(warning);
  });
  document.addEventListener("htmx:afterSettle", function (event) { initCounters(event.detail.elt); });
})();
