// Inside an agency's page: tell the parent our height, and only if it is an allowed origin.
(function () {
  "use strict";
  if (window.parent === window) return;
  var node = document.getElementById("vitrine-frame-origins");
  var allowed = node ? JSON.parse(node.textContent) : [];
  var parentOrigin = "";
  try { parentOrigin = new URL(document.referrer).origin; } catch (e) { return; }
  if (allowed.indexOf(parentOrigin) === -1) return;
  function report() {
    window.parent.postMessage({ type: "vitrine:height", height: document.documentElement.scrollHeight }, parentOrigin);
  }
  window.addEventListener("load", report);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
})();
