/* Làng Số page behaviour that would otherwise sit in inline handlers and style attributes,
 * which the Content-Security-Policy forbids (see langso/core/security.py):
 *   <select data-autosubmit>        submits its form when changed
 *   <button data-print>             prints the page
 *   <span data-color="#0b6b3a">     background colour from data (map legend swatches)
 *   <span data-width="42%">         sets the CSS variable --w (bar charts)
 *   <table class="stacked">         each data cell gets its column's header as data-label,
 *                                   shown above the cell when the table is read as cards
 *                                   on a phone (base.css)
 *   a form with a submission_token  its buttons are disabled once it is sent (a double
 *                                   click sends one request; the server's token is the
 *                                   guarantee, see langso/core/idempotency.py)
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
    each("table.stacked", labelCells);
    each("form", function (form) {
      if (!form.querySelector("input[name=submission_token]")) { return; }
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) { return; }  // another script sends it itself
        // after the browser has collected the clicked button's name and value
        window.setTimeout(function () { setButtons(form, true); }, 0);
      });
    });
  }
  function labelCells(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (cell.tagName === "TD" && cell.colSpan === 1 && heads[i] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", heads[i]);
        }
      });
    });
  }
  function setButtons(form, disabled) {
    Array.prototype.forEach.call(form.querySelectorAll("button, input[type=submit]"), function (b) {
      b.disabled = disabled;
    });
  }
  // back to a page kept in the browser's cache: its forms can be used again
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { each("form", function (form) { setButtons(form, false); }); }
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
