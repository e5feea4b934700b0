/* Growing areas map (economy/area_list.html): the areas' GeoJSON on the commune map. */
(function () {
  "use strict";
  var el = document.getElementById("areas-map"), map = LangSoMap.create("areas-map");
  fetch(el.dataset.geojson).then(function (r) { return r.json(); }).then(function (fc) {
    var layer = L.geoJSON(fc, { onEachFeature: function (f, l) {
      var p = f.properties, div = document.createElement("div");
      div.textContent = p.name + (p.code ? " · " + p.code : "") + " · " + p.crop + (p.certificates.length ? " · " + p.certificates.join(", ") : "");
      l.bindPopup(div);
    } }).addTo(map);
    if (fc.features.length) { map.fitBounds(layer.getBounds(), { maxZoom: 15 }); }
  });
})();
