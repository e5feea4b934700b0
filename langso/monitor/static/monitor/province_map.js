/* Province dashboard map: one circle per commune, coloured by criteria met; click opens it. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("communes-geojson").textContent);
  var map = LangSoMap.create("map");
  function colour(p) {
    if (p.total && p.met >= p.total) { return "#0b6b3a"; }
    if (p.total && p.met * 2 >= p.total) { return "#d98e04"; }
    return "#a4161a";
  }
  var layer = L.geoJSON(data, {
    pointToLayer: function (feature, latlng) {
      var p = feature.properties;
      return L.circleMarker(latlng, { radius: 8, weight: 1, color: "#1b1f23", fillColor: colour(p), fillOpacity: 0.85 });
    },
    onEachFeature: function (feature, marker) {
      var p = feature.properties;
      var a = document.createElement("a");
      a.href = p.url;
      a.textContent = p.name + ": " + p.met + "/" + p.total;
      marker.bindPopup(a);
    }
  }).addTo(map);
  if (data.features.length) { map.fitBounds(layer.getBounds().pad(0.2)); }
  document.getElementById("map").dataset.markers = String(data.features.length);
})();
