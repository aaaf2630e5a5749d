// Videos and virtual tours: a local placeholder until the visitor asks, then the player.
// No request reaches the provider before the click (privacy, speed). HTML medias run in a
// sandboxed iframe (opaque origin: they cannot reach this page or its cookies).
(function () {
  "use strict";
  var HTML_FRAME_STYLE =
    "<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%}</style>";
  Array.prototype.forEach.call(document.querySelectorAll("[data-media-facade]"), function (box) {
    var button = box.querySelector("button");
    box.hidden = false;
    button.addEventListener("click", function () {
      var d = box.dataset;
      var frame = document.createElement("iframe");
      frame.title = d.title;
      frame.className = "media-frame";
      frame.setAttribute("allowfullscreen", "");
      if (d.src) {
        frame.src = d.src;
        frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media; xr-spatial-tracking";
        frame.referrerPolicy = "strict-origin-when-cross-origin";
      } else {
        frame.setAttribute("sandbox", "allow-scripts allow-popups allow-presentation");
        frame.srcdoc = HTML_FRAME_STYLE + d.srcdoc;
      }
      box.replaceChildren(frame);
      box.classList.add("media-loaded");
      frame.focus();
    });
  });
})();
