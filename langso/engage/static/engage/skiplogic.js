/* Progressive skip logic: without JavaScript every question shows and the server ignores
   the ones that do not apply. With it, the server's own evaluator says which apply. */
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-relevance-url");
  var timer = null;
  function apply(relevant) {
    form.querySelectorAll(".question").forEach(function (el) {
      var show = relevant[el.getAttribute("data-name")] !== false;
      el.hidden = !show;
      el.querySelectorAll("input,textarea,select").forEach(function (i) { i.disabled = !show; });
    });
  }
  function refresh() {
    fetch(url, {method: "POST", body: new FormData(form), credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { apply(data.relevant); } })
      .catch(function () {});
  }
  form.querySelectorAll(".relevant-note").forEach(function (n) { n.hidden = true; });
  form.querySelectorAll(".question[data-hidden]").forEach(function (el) { el.hidden = true; });
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  if (navigator.geolocation) {
    form.querySelectorAll(".geolocate").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (p) {
          document.getElementById(b.getAttribute("data-target")).value =
            p.coords.latitude.toFixed(6) + " " + p.coords.longitude.toFixed(6);
        });
      });
    });
  }
})();
