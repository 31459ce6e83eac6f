/* The place builder's map: each practice is a point; clicking one ticks its box on the list,
   and ticking a box colours its point. No tiles are drawn unless a tile server is configured. */
(function () {
  "use strict";
  var element = document.getElementById("practice-map");
  var data = document.getElementById("practice-points");
  if (!element || !data || !window.L) { return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(element, { zoomSnap: 0.25 });
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "" }).addTo(map);
  }
  var counter = document.getElementById("selected-count");
  var boxes = document.querySelectorAll("input[name=practices]");
  function count() {
    var ticked = 0;
    boxes.forEach(function (b) { if (b.checked) { ticked += 1; } });
    counter.textContent = ticked + " of " + boxes.length;
  }
  var bounds = [];
  points.forEach(function (p) {
    var box = document.getElementById("practice-" + p.code);
    if (p.lat === null || p.lon === null || !box) { return; }
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 6, weight: 1, className: "practice-marker practice-marker-" + p.code
    }).addTo(map);
    marker.bindTooltip(p.code + ": " + p.name);
    function paint() {
      marker.setStyle(box.checked
        ? { color: "#003087", fillColor: "#005eb8", fillOpacity: 0.9 }
        : { color: "#425563", fillColor: "#ffffff", fillOpacity: 0.7 });
    }
    marker.on("click", function () { box.checked = !box.checked; paint(); count(); });
    box.addEventListener("change", function () { paint(); count(); });
    paint();
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [12, 12] }); }
  count();
}());
