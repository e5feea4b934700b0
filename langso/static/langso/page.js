/* Làng Số page behaviour that would otherwise sit in inline handlers and style attributes,
 * which the Content-Security-Policy forbids (see langso/core/security.py):
 *   <select data-autosubmit>        submits its form when changed
 *   <button data-print>             prints the page
 *   <span data-color="#0b6b3a">     background colour from data (map legend swatches)
 *   <span data-width="42%">         sets the CSS variable --w (bar charts)
 * Setting element.style from a script file is allowed by the policy. */
(function () {
  "use strict";
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }
  function init() {
    each("[data-autosubmit]", function (el) {
      el.addEventListener("change", function () { if (el.form) { el.form.submit(); } });
    });
    each("[data-print]", function (el) {
      el.addEventListener("click", function () { window.print(); });
    });
    each("[data-color]", function (el) { el.style.background = el.dataset.color; });
    each("[data-width]", function (el) { el.style.setProperty("--w", el.dataset.width); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
