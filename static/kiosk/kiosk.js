/* 进屏 (/kiosk/): the on-screen keypad and the reset to the start screen.
 *
 * Nothing is kept in the browser: the kiosk sets no cookie and uses no storage; after an idle period
 * (data-kiosk-idle seconds on <body>) and after each lookup (data-kiosk-result seconds, or 结束查询)
 * the page clears its fields and replaces itself — in the history too — by the start screen
 * (data-kiosk-home), so neither Back nor Forward brings an answer back. An external file: the CSP
 * allows no inline script. */
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.classList.contains("kiosk")) return;
  var home = body.getAttribute("data-kiosk-home") || "/kiosk/";
  var idle = parseInt(body.getAttribute("data-kiosk-idle"), 10) || 90;
  var resultSeconds = parseInt(body.getAttribute("data-kiosk-result"), 10) || 0;
  var countdown = document.querySelector("[data-kiosk-countdown]");
  var timer = null;
  var warnTimer = null;

  function wipe() {
    var fields = document.querySelectorAll("input, textarea");
    for (var i = 0; i < fields.length; i++) fields[i].value = "";
    var result = document.querySelector("[data-kiosk-lookup-result]");
    if (result) result.parentNode.removeChild(result);
    try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* none */ }
  }

  function reset() {
    wipe();
    window.location.replace(home);
  }
  window.kioskReset = reset;

  function arm() {
    if (timer) window.clearTimeout(timer);
    if (warnTimer) window.clearTimeout(warnTimer);
    if (countdown) countdown.hidden = true;
    if (body.classList.contains("kiosk-start") && !document.querySelector("input")) {
      return; // the start screen holds nothing to clear
    }
    timer = window.setTimeout(reset, idle * 1000);
    if (countdown && idle > 10) {
      warnTimer = window.setTimeout(function () { countdown.hidden = false; }, (idle - 10) * 1000);
    }
  }
  ["pointerdown", "keydown", "touchstart", "input", "scroll"].forEach(function (name) {
    document.addEventListener(name, arm, { passive: true, capture: true });
  });
  arm();

  // A lookup answer: its address becomes the keypad's (a reload or Forward never posts again),
  // it clears itself after data-kiosk-result seconds, and 结束查询 clears it at once.
  if (document.querySelector("[data-kiosk-lookup-result]")) {
    var clean = body.getAttribute("data-kiosk-clean-url");
    if (clean && window.history.replaceState) window.history.replaceState(null, "", clean);
    if (resultSeconds) window.setTimeout(reset, resultSeconds * 1000);
    var end = document.querySelector("[data-kiosk-end]");
    if (end) end.addEventListener("click", function (event) { event.preventDefault(); reset(); });
  }
  // A page restored from the back/forward cache starts over.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.querySelector("[data-kiosk-lookup-result]")) reset();
  });

  // The keypad writes into the field last touched (the first one to begin with); the system's own
  // keyboard stays closed (inputmode none), a physical keyboard still works.
  var form = document.querySelector("[data-kiosk-keypad-form]");
  if (!form) return;
  var fields = Array.prototype.slice.call(form.querySelectorAll("[data-kiosk-field]"));
  var active = fields[0];
  fields.forEach(function (field) {
    field.setAttribute("inputmode", "none");
    field.addEventListener("focus", function () { select(field); });
  });
  function select(field) {
    active = field;
    fields.forEach(function (f) { f.classList.toggle("kiosk-active", f === field); });
  }
  select(active);
  form.addEventListener("click", function (event) {
    var key = event.target.closest("[data-key], [data-key-action]");
    if (!key || !active) return;
    event.preventDefault();
    var value = key.getAttribute("data-key");
    var action = key.getAttribute("data-key-action");
    var max = parseInt(active.getAttribute("maxlength"), 10) || 32;
    if (value) {
      active.value = (active.value + value).slice(0, max);
    } else if (action === "backspace") {
      active.value = active.value.slice(0, -1);
    } else if (action === "clear") {
      active.value = "";
    } else if (action === "next") {
      select(fields[(fields.indexOf(active) + 1) % fields.length]);
    }
    active.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
