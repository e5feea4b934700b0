/* Feedback form: the "use my position" button fills latitude and longitude. */
(function () {
  "use strict";
  var b = document.getElementById("geolocate");
  if (!navigator.geolocation || !b) { return; }
  b.hidden = false;
  b.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("id_latitude").value = p.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = p.coords.longitude.toFixed(6);
    });
  });
})();
