// Search map: an enhancement of the result list, loaded only when the visitor asks for
// it (no tile, script or data request before). Clustered pins for public addresses, an
// area marker and circle (never a pin) when the address is not public. "Search this area" puts the
// visible box in the URL as `bbox` (lng1,lat1,lng2,lat2: north-west then south-east),
// kept with every other criterion, so the result is a shareable link.
(function () {
  "use strict";
  var box = document.querySelector("[data-search-map]");
  if (!box || !window.fetch || !window.Promise) return;
  var d = box.dataset;
  // The opening button sits with the other result tools, above the map's box.
  var open = document.querySelector("[data-map-open]");
  if (!open) return;
  var area = box.querySelector("[data-map-area]");
  var status = box.querySelector("[data-map-status]");
  var canvas = box.querySelector(".map-canvas");
  open.hidden = false;

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { node[k] = attrs[k]; });
      node.onload = resolve; node.onerror = reject;
      document.head.appendChild(node);
    });
  }
  function popup(p) {
    var wrap = document.createElement("div");
    var link = document.createElement("a");
    link.href = p.url; link.textContent = p.title;
    var price = document.createElement("div");
    price.textContent = p.price;
    wrap.appendChild(link); wrap.appendChild(price);
    return wrap;
  }
  function fixed(n) { return (Math.round(n * 1e5) / 1e5).toString(); }
  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

  function draw(L, data) {
    canvas.hidden = false;
    var map = L.map(canvas, { scrollWheelZoom: false, keyboard: true });
    L.tileLayer(d.tiles, { attribution: d.attribution, maxZoom: 18 }).addTo(map);
    var pins = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    var circles = L.layerGroup();
    var bounds = [];
    data.points.forEach(function (p) {
      var layer;
      if (p.radius) {
        // Address not public: a round area marker (focusable and clustered like the
        // pins, so it stays visible and reachable when zoomed out), and the true circle
        // of `radius` metres once zoomed in enough to draw it.
        layer = L.marker([p.lat, p.lng], {
          title: p.title + " — " + d.approxText, alt: p.title, keyboard: true,
          icon: L.divIcon({ className: "map-approx", iconSize: [22, 22] })
        });
        circles.addLayer(L.circle([p.lat, p.lng], { radius: p.radius, interactive: false }));
      } else {
        layer = L.marker([p.lat, p.lng], { title: p.title, alt: p.title, keyboard: true });
      }
      pins.addLayer(layer);
      layer.bindPopup(popup(p));
      bounds.push([p.lat, p.lng]);
    });
    map.addLayer(pins);
    function showCircles() {
      if (map.getZoom() >= 12) map.addLayer(circles); else map.removeLayer(circles);
    }
    map.on("zoomend", showCircles);
    var params = new URLSearchParams(window.location.search);
    var bbox = (params.get("bbox") || "").split(",").map(parseFloat);
    if (bbox.length === 4 && bbox.every(isFinite)) {
      map.fitBounds([[bbox[1], bbox[0]], [bbox[3], bbox[2]]]);
    } else if (bounds.length) {
      map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] });
    } else {
      map.setView([46.6, 2.4], 5);  // France
    }
    showCircles();
    status.textContent = data.truncated ? d.truncatedText : (bounds.length ? "" : d.emptyText);
    area.hidden = false;
    area.addEventListener("click", function () {
      var b = map.getBounds();
      var value = [
        fixed(clamp(b.getWest(), -180, 180)), fixed(clamp(b.getNorth(), -90, 90)),
        fixed(clamp(b.getEast(), -180, 180)), fixed(clamp(b.getSouth(), -90, 90))
      ].join(",");
      params.set("bbox", value);
      params.delete("page");
      // Gedeon's "lng1,lat1,lng2,lat2": a comma needs no escaping in a query string.
      var query = params.toString().replace(/%2C/gi, ",");
      window.location.assign(window.location.pathname + "?" + query + "#results-heading");
    });
    canvas.focus();
  }

  open.addEventListener("click", function () {
    open.disabled = true;
    status.textContent = d.loadingText;
    var styles = [load("link", { rel: "stylesheet", href: d.css })];
    if (d.clusterCss) styles.push(load("link", { rel: "stylesheet", href: d.clusterCss }));
    var scripts = (window.L ? Promise.resolve() : load("script", { src: d.js })).then(function () {
      return window.L.markerClusterGroup ? null : load("script", { src: d.clusterJs });
    });
    var data = fetch(d.points, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
    Promise.all([scripts, data].concat(styles)).then(function (done) {
      open.hidden = true;
      draw(window.L, done[1]);
    }).catch(function () {
      open.disabled = false;
      status.textContent = d.errorText;
    });
  });
})();
