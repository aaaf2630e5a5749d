/* Vitrine embed: <script src="{{ origin }}/embed.js" data-search="transaction=sell" async></script>
   Inserts the listings in an iframe and keeps it as tall as its content. */
(function () {
  "use strict";
  var ORIGIN = "{{ origin|escapejs }}";
  var script = document.currentScript;
  if (!script) return;
  var query = script.getAttribute("data-search") || "";
  var frame = document.createElement("iframe");
  frame.src = ORIGIN + "{{ embed_path|escapejs }}" + (query ? "?" + query.replace(/^\?/, "") : "");
  frame.title = script.getAttribute("data-title") || "Annonces immobilières";
  frame.loading = "lazy";
  frame.style.cssText = "width:100%;border:0;min-height:600px;display:block";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    // Only our own frame, from our own origin, may resize it.
    if (event.origin !== ORIGIN || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === "vitrine:height" && typeof data.height === "number" && data.height > 0 && data.height < 100000) {
      frame.style.height = Math.ceil(data.height) + "px";
    }
  });
})();
