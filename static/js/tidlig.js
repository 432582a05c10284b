// Tidlig's page script. Loaded with `defer` from base.html; there is no inline
// JavaScript anywhere, because the Content-Security-Policy forbids it.
"use strict";

// Lets tidlig.css tell a page with JavaScript from one without (no-JS fallbacks).
document.documentElement.classList.add("js");

// Wire up the design system's components (mobile menu, accordions, error summary…).
// Called once per page load only: DKFDS.init() always re-initialises the header
// navigation, whatever scope it is given, so it is not safe to repeat after htmx swaps.
window.DKFDS.init();

// LØFT drafts (loeft/dialogue_form.html). htmx saves the draft to the server a
// few seconds after each change. Until the server has confirmed a change, a
// copy of the form also lives in this tab's sessionStorage: when the network
// is gone or the session has expired, the text survives the reload or the new
// login and is put back into the form, then saved. sessionStorage is per tab
// and cleared when the tab closes, so nothing about a child stays in the
// browser; a closed tab has the server's draft.
(function () {
  const form = document.querySelector("form[data-draft-key]");
  if (!form) return;
  const key = form.dataset.draftKey;
  const status = document.getElementById("autosave-status");

  function read() {
    try {
      return JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function store() {
    const fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && typeof value === "string") fields.push([name, value]);
    });
    try {
      window.sessionStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: fields }));
    } catch (error) {
      // Storage full or disabled: the server's autosave still runs.
    }
  }

  function forget() {
    try {
      window.sessionStorage.removeItem(key);
    } catch (error) {
      // Nothing stored.
    }
  }

  // Puts the stored values into the form; true if that changed anything.
  function restore(fields) {
    const pending = {};
    let changed = false;
    fields.forEach(function (pair) {
      (pending[pair[0]] = pending[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name === "csrfmiddlewaretoken" || element.type === "submit") return;
      const values = pending[element.name] || [];
      let now = false;
      if (element.type === "checkbox" || element.type === "radio") {
        const checked = values.indexOf(element.value) !== -1;
        now = element.checked !== checked;
        element.checked = checked;
      } else if (element.type !== "hidden" && values.length) {
        const value = values.shift();
        now = element.value !== value;
        element.value = value;
      }
      if (now) {
        changed = true;
        element.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    return changed;
  }

  // This page answers a POST that saved the draft (a "Gem kladde", or "Gem og
  // afslut" with an error to correct): the server has the text, so the copy goes.
  // Otherwise whatever is stored is what the server never confirmed: put it back,
  // and say so only when the form has changed.
  const stored = form.hasAttribute("data-draft-saved") ? forget() : read();
  if (stored && restore(stored.fields)) {
    const notice = document.getElementById("draft-restored");
    if (notice) notice.hidden = false;
    // The hx-trigger of the form includes this event: save what was put back,
    // once htmx has set the form up (it does so on DOMContentLoaded, which fires
    // after this deferred script has run).
    document.addEventListener("DOMContentLoaded", function () {
      window.htmx.trigger(form, "tidlig:restored");
    });
  } else if (stored) {
    forget(); // the same text as the server's
  }

  form.addEventListener("input", store);
  form.addEventListener("change", store);

  // When the server confirms a save, forget the copy unless something was typed
  // after that request left (both times from this browser's clock).
  let sentAt = 0;
  form.addEventListener("htmx:beforeRequest", function () {
    sentAt = Date.now();
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful || !status || !status.querySelector("[data-draft-saved]")) return;
    const current = read();
    if (current && current.savedAt <= sentAt) window.sessionStorage.removeItem(key);
  });

  // No network: say so, and keep the copy in the browser.
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt !== form || !status) return;
    status.textContent = status.dataset.offlineText || "";
  });
})();

// Next steps (loeft/includes/step_rows.html): a row may stay empty, but once
// anything is written or chosen in it, all its fields must be filled. Say so as
// the user types: "(skal udfyldes)" in the labels, aria-required on the fields.
document.querySelectorAll("[data-step-row]").forEach(function (row) {
  const fields = row.querySelectorAll("input:not([type=hidden]), select, textarea");
  function update() {
    const used = Array.prototype.some.call(fields, function (field) {
      return field.value.trim() !== "";
    });
    row.querySelectorAll("[data-required-when-used]").forEach(function (marker) {
      marker.hidden = !used;
    });
    fields.forEach(function (field) {
      if (used) field.setAttribute("aria-required", "true");
      else field.removeAttribute("aria-required");
    });
  }
  row.addEventListener("input", update);
  row.addEventListener("change", update);
  update();
});

// The page of a finalised dialogue: the draft copy is no longer needed.
document.querySelectorAll("[data-forget-draft]").forEach(function (element) {
  try {
    window.sessionStorage.removeItem(element.dataset.forgetDraft);
  } catch (error) {
    // Nothing stored.
  }
});

// The idle timeout (tidlig.middleware.SessionTimeoutMiddleware): two minutes
// before the server would end the session, a dialog offers to stay logged in.
// "Bliv logget ind" asks the server to count this as activity and closes the
// dialog, without reloading: nothing typed on the page is lost. Every request
// the page makes through htmx (a LØFT autosave, say) counts as activity too,
// except the archive's progress polling, which the server does not count either.
// When the time is up the page is fetched again, and the server sends it on to
// the login page with a message; a LØFT draft survives that (see above).
(function () {
  const body = document.body;
  const dialog = document.getElementById("session-warning");
  const idle = parseInt(body.dataset.idleSeconds || "0", 10);
  if (!dialog || !idle || typeof dialog.showModal !== "function") return;
  const warn = parseInt(body.dataset.warnSeconds || "120", 10);
  let warnTimer = 0;
  let endTimer = 0;

  function expire() {
    window.location.assign(window.location.href);
  }

  function restart() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(function () {
      dialog.showModal();
    }, Math.max(idle - warn, 0) * 1000);
    // A second late, so that the server has certainly ended the session.
    endTimer = window.setTimeout(expire, (idle + 1) * 1000);
  }

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  dialog.querySelector(".js-session-keepalive").addEventListener("click", function () {
    window
      .fetch(body.dataset.keepaliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
      .then(function (response) {
        if (response.status === 204) {
          dialog.close();
          restart();
        } else {
          expire();
        }
      })
      .catch(function () {
        // No network: leave the dialog open, the user may try again.
      });
  });

  body.addEventListener("htmx:afterRequest", function (event) {
    const path = (event.detail.pathInfo && event.detail.pathInfo.requestPath) || "";
    if (!event.detail.elt.hasAttribute("data-session-passive") && path) restart();
  });

  restart();
})();

// A form is sent once. While a POST is on its way its submit buttons are disabled
// and a second submit is ignored, so a double-click makes one request; the
// server's one-time key (tidlig.lib.once) catches whatever gets past this. The
// buttons are disabled a moment after the submit event, because a disabled
// button would drop its own name and value ("gem som kladde") from the request.
// They come back after ten seconds (a PDF download keeps the page, a stopped
// request) and when the browser shows the page again from its back/forward cache.
(function () {
  const HOLD_MS = 10000;

  function buttons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function release(form) {
    delete form.dataset.sending;
    form.querySelectorAll("[data-held]").forEach(function (button) {
      button.disabled = false;
      delete button.dataset.held;
    });
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    // htmx handles its own forms (and cancels the browser's submit for them).
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    window.setTimeout(function () {
      buttons(form).forEach(function (button) {
        if (button.disabled) return; // disabled by the page itself: left so
        button.disabled = true;
        button.dataset.held = "1";
      });
    }, 0);
    window.setTimeout(function () {
      release(form);
    }, HOLD_MS);
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-sending]").forEach(release);
  });
})();
