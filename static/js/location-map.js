// Small location map, loaded only when the visitor asks for it: no tile server is
// contacted before that (privacy, and speed). A circle, never a pin, when the address
// is not public.
(function () {
  "use strict";
  var box = document.querySelector("[data-location-map]");
  if (!box) return;
  var button = box.querySelector("button");
  button.hidden = false;
  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { node[k] = attrs[k]; });
      node.onload = resolve; node.onerror = reject;
      document.head.appendChild(node);
    });
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    var d = box.dataset;
    Promise.all([
      load("link", { rel: "stylesheet", href: d.css }),
      window.L ? Promise.resolve() : load("script", { src: d.js })
    ]).then(function () {
      var canvas = box.querySelector(".map-canvas");
      canvas.hidden = false;
      button.hidden = true;
      var lat = parseFloat(d.lat), lng = parseFloat(d.lng);
      var map = window.L.map(canvas, { scrollWheelZoom: false }).setView([lat, lng], d.precise === "1" ? 16 : 14);
      window.L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 18 }).addTo(map);
      if (d.precise === "1") {
        window.L.marker([lat, lng], { title: d.label, alt: d.label }).addTo(map);
      } else {
        window.L.circle([lat, lng], { radius: parseFloat(d.radius) }).addTo(map);
      }
      canvas.focus();
    }).catch(function () { button.disabled = false; });
  });
})();
