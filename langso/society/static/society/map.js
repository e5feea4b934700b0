/* Commune map: one GeoJSON layer per checkbox, fetched from the API on first use. */
(function () {
  "use strict";
  var map = LangSoMap.create("map");
  var layers = JSON.parse(document.getElementById("layer-data").textContent);
  var loaded = {};
  function esc(s) {
    return String(s === undefined || s === null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function popup(p) {
    var html = "<div class='popup'><strong>" + esc(p.name) + "</strong>";
    if (p.photo) html += "<img src='" + esc(p.photo) + "' alt=''>";
    if (p.description) html += "<p>" + esc(p.description) + "</p>";
    if (p.cases_label) html += "<p>Số ca: " + esc(p.cases_label) + "</p>";
    if (p.hamlet && !p.cases_label) html += "<p>" + esc(p.hamlet) + "</p>";
    if (p.open_alerts) html += "<p>⚠ " + esc(p.open_alerts) + " cảnh báo</p>";
    if (p.url) html += "<p><a href='" + esc(p.url) + "'>Chi tiết</a></p>";
    return html + "</div>";
  }
  function build(def, data) {
    return L.geoJSON(data, {
      style: function () { return { color: def.color, weight: 2, fillOpacity: 0.2 }; },
      pointToLayer: function (f, latlng) {
        var alert = f.properties && f.properties.open_alerts;
        return L.circleMarker(latlng, { radius: alert ? 9 : 6, color: alert ? "#c62828" : def.color,
                                        fillOpacity: 0.8 });
      },
      onEachFeature: function (f, l) { l.bindPopup(popup(f.properties || {})); }
    });
  }
  var wanted_on = {};
  function put(def) {
    loaded[def.slug].addTo(map);
    if (def.underneath) loaded[def.slug].bringToBack();  // households under the places
  }
  function show(def, on) {
    var holder = document.getElementById("map");
    wanted_on[def.slug] = on;
    if (!on) {
      if (loaded[def.slug]) map.removeLayer(loaded[def.slug]);
      holder.setAttribute("data-layer-" + def.slug, "off");
      return;
    }
    if (loaded[def.slug]) { put(def); holder.setAttribute("data-layer-" + def.slug, "on"); return; }
    holder.setAttribute("data-layer-" + def.slug, "loading");
    fetch(def.url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        loaded[def.slug] = build(def, data);
        holder.setAttribute("data-count-" + def.slug, String((data.features || []).length));
        if (wanted_on[def.slug]) {
          put(def);
          holder.setAttribute("data-layer-" + def.slug, "on");
        }
      });
  }
  // "#layers=du-lich,dich-benh" in the address opens exactly those layers (shareable links).
  var wanted = null;
  var m = /(?:^#|&)layers=([^&]*)/.exec(window.location.hash);
  if (m) wanted = decodeURIComponent(m[1]).split(",");
  layers.forEach(function (def) {
    var box = document.querySelector("input[data-slug='" + def.slug + "']");
    if (!box) return;
    box.addEventListener("change", function () { show(def, box.checked); });
    if (wanted) {
      var on = wanted.indexOf(def.slug) >= 0;
      box.checked = on;
      show(def, on);
    } else if (box.checked) {
      show(def, true);
    }
  });
  window.LangSoCommuneMap = { map: map, show: function (slug, on) {
    var def = layers.filter(function (d) { return d.slug === slug; })[0];
    var box = document.querySelector("input[data-slug='" + slug + "']");
    if (box) box.checked = on;
    if (def) show(def, on);
  } };
})();
