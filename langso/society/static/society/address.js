/* Digital address page: the address's marker on the map. */
(function () {
  "use strict";
  var m = LangSoMap.create("map"), d = document.getElementById("map").dataset;
  L.marker([parseFloat(d.lat), parseFloat(d.lon)]).addTo(m);
})();
