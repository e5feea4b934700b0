/* Draggable marker that fills the latitude/longitude inputs of the form below the map. */
(function () {
  "use strict";
  var map = LangSoMap.create("map");
  var lat = document.getElementById("id_latitude"), lon = document.getElementById("id_longitude");
  var d = document.getElementById("map").dataset;
  var marker = L.marker([parseFloat(d.lat), parseFloat(d.lon)], { draggable: true }).addTo(map);
  function fill(ll) { lat.value = ll.lat.toFixed(6); lon.value = ll.lng.toFixed(6); }
  marker.on("dragend", function () { fill(marker.getLatLng()); });
  map.on("click", function (e) { marker.setLatLng(e.latlng); fill(e.latlng); });
})();
