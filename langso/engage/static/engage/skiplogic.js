/* The survey page's behaviour: skip logic, cascading choices, calculations and repeats.
   Without JavaScript every question and choice shows and the server ignores what does not
   apply. With it, after each change the answers so far go to the server's own evaluator
   (survey_relevance), which says what applies: this script never evaluates an expression,
   so the page and the final check cannot disagree. */
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-relevance-url");
  var timer = null;
  var pending = false;
  var busy = false;

  function each(selector, root, fn) {
    Array.prototype.forEach.call((root || form).querySelectorAll(selector), fn);
  }

  function answers() {
    var data = new FormData(form);
    // the server needs only the chosen file's name to evaluate; the file goes on submit
    each("input[type=file]", form, function (input) {
      data.delete(input.name);
      if (!input.disabled && input.files && input.files.length) {
        data.append(input.name, input.files[0].name);
      }
    });
    return data;
  }

  function show(el, visible) {
    el.hidden = !visible;
    each("input,textarea,select,button[name=_repeat]", el, function (i) {
      if (!i.readOnly || i.type === "hidden") { i.disabled = !visible; }
    });
  }

  function apply(state) {
    var changed = false;
    each(".question[data-key]", form, function (el) {
      var key = el.getAttribute("data-key");
      show(el, state.relevant[key] !== false);
      var allowed = state.choices[key];
      if (allowed && state.relevant[key] !== false) {
        each(".choice[data-choice]", el, function (c) {
          var ok = allowed.indexOf(c.getAttribute("data-choice")) !== -1;
          c.hidden = !ok;
          var input = c.querySelector("input");
          if (!ok && input.checked) { input.checked = false; changed = true; }
          input.disabled = !ok;
        });
      }
      if (key in state.values) {
        each("input[readonly],textarea[readonly]", el, function (i) { i.value = state.values[key]; });
      }
    });
    each("[data-label-for]", form, function (el) {
      var key = el.getAttribute("data-label-for");
      if (key in state.labels) { el.textContent = state.labels[key]; }
    });
    var reload = false;
    each(".repeat[data-key]", form, function (el) {
      var key = el.getAttribute("data-key");
      var visible = state.relevant[key] !== false;
      el.hidden = !visible;
      if (visible && el.hasAttribute("data-fixed") &&
          String(state.counts[key]) !== el.getAttribute("data-count")) {
        reload = true;
      }
    });
    if (reload) {
      // a repeat asked "as many times as ${answer}": the server lays out the new count
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = "_repeat";
      hidden.value = "refresh";
      form.appendChild(hidden);
      form.submit();
      return;
    }
    // a cleared choice can narrow the next cascade: ask again
    if (changed) { schedule(); }
  }

  function refresh() {
    if (busy) { pending = true; return; }
    busy = true;
    fetch(url, {method: "POST", body: answers(), credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        busy = false;
        if (data) { apply(data); }
        if (pending) { pending = false; refresh(); }
      })
      .catch(function () { busy = false; });
  }

  function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 150); }

  each(".relevant-note", form, function (n) { n.hidden = true; });
  each("[data-hidden]", form, function (el) { show(el, false); });
  form.addEventListener("change", schedule);
  form.addEventListener("input", schedule);
  refresh();
  if (navigator.geolocation) {
    each(".geolocate", form, function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (p) {
          document.getElementById(b.getAttribute("data-target")).value =
            p.coords.latitude.toFixed(6) + " " + p.coords.longitude.toFixed(6);
        });
      });
    });
  }
  form.setAttribute("data-ready", "1");
})();
