// The map of a report ("melding"): Leaflet over the tiles the portal names.
// An element with class "kaart" shows one place (data-lat, data-lon); with
// data-pick it also lets the citizen pick the place: a click puts the
// marker and writes the coordinates, with a decimal comma, into the fields
// #lat and #lon. Without JavaScript or tiles the form works as it is.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  function num(s) { return parseFloat(String(s || "").replace(",", ".")); }
  function comma(f) { return f.toFixed(5).replace(".", ","); }
  document.querySelectorAll(".kaart[data-tiles]").forEach(function (el) {
    var lat = num(el.dataset.lat), lon = num(el.dataset.lon);
    var has = !isNaN(lat) && !isNaN(lon);
    var center = has ? [lat, lon] : [num(el.dataset.centerLat), num(el.dataset.centerLon)];
    var map = L.map(el).setView(center, has ? 17 : 14);
    L.tileLayer(el.dataset.tiles, {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap-bijdragers"
    }).addTo(map);
    var marker = has ? L.marker([lat, lon]).addTo(map) : null;
    if (!el.dataset.pick) { return; }
    var latField = document.getElementById("lat"), lonField = document.getElementById("lon");
    function put(ll) {
      if (marker) { marker.setLatLng(ll); } else { marker = L.marker(ll).addTo(map); }
      latField.value = comma(ll.lat);
      lonField.value = comma(ll.lng);
      el.dataset.lat = latField.value;
      el.dataset.lon = lonField.value;
    }
    map.on("click", function (e) { put(e.latlng); });
    [latField, lonField].forEach(function (f) {
      f.addEventListener("change", function () {
        var a = num(latField.value), b = num(lonField.value);
        if (!isNaN(a) && !isNaN(b)) {
          if (marker) { marker.setLatLng([a, b]); } else { marker = L.marker([a, b]).addTo(map); }
          map.setView([a, b], 17);
        }
      });
    });
  });
  // Show only the extra questions of the chosen category.
  var cat = document.getElementById("category");
  function questions() {
    var chosen = cat ? cat.value.split("/")[0] : "";
    document.querySelectorAll("[data-questions]").forEach(function (q) {
      q.hidden = q.dataset.questions !== chosen;
    });
  }
  if (cat) { cat.addEventListener("change", questions); questions(); }
})();
