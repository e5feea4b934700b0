/* Làng Số map helper (Leaflet, served locally). Usage:
 *   <div id="map" data-tiles="{{ LANGSO_TILE_URL }}" data-attribution="..." data-lat data-lon data-zoom></div>
 *   var map = LangSoMap.create("map");
 * Every map made here labels the Hoàng Sa (Paracel) and Trường Sa (Spratly) archipelagos as
 * Vietnam's, whatever the tile server draws. */
(function (w) {
  "use strict";
  var ISLANDS = [
    { name: "Quần đảo Hoàng Sa (Việt Nam)", lat: 16.5, lon: 112.0 },
    { name: "Quần đảo Trường Sa (Việt Nam)", lat: 10.0, lon: 114.3 }
  ];
  function create(id, options) {
    var el = document.getElementById(id);
    var d = el.dataset;
    var map = L.map(el, options || {}).setView(
      [parseFloat(d.lat || "16.0"), parseFloat(d.lon || "106.0")], parseInt(d.zoom || "6", 10));
    L.tileLayer(d.tiles, { maxZoom: 19, attribution: d.attribution || "" }).addTo(map);
    ISLANDS.forEach(function (i) {
      L.marker([i.lat, i.lon], {
        icon: L.divIcon({ className: "vn-sovereignty", html: "<span>" + i.name + "</span>", iconSize: null }),
        interactive: false, keyboard: false
      }).addTo(map);
    });
    return map;
  }
  w.LangSoMap = { create: create, islands: ISLANDS };
})(window);
