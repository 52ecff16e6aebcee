/* Sunshine Portal: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // A form came back with errors: move focus to the error summary, so keyboard and screen-reader
  // users start at the list of problems (each links to its field).
  var summary = document.querySelector(".error-summary, .ysq-error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
})();
