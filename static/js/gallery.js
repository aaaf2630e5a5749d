// Full-screen photo viewer: progressive enhancement of the gallery's plain links.
// Keyboard: Enter opens, ←/→ browse, Escape closes; focus returns to the photo opened.
(function () {
  "use strict";
  var gallery = document.querySelector("[data-gallery]");
  if (!gallery || typeof HTMLDialogElement === "undefined") return;
  var links = Array.prototype.slice.call(gallery.querySelectorAll("a.gallery-item"));
  if (!links.length) return;
  var lang = document.documentElement.lang || "fr";
  var words = lang.indexOf("fr") === 0
    ? { close: "Fermer", prev: "Photo précédente", next: "Photo suivante", of: " sur " }
    : lang.indexOf("de") === 0
      ? { close: "Schließen", prev: "Vorheriges Foto", next: "Nächstes Foto", of: " von " }
      : { close: "Close", prev: "Previous photo", next: "Next photo", of: " of " };
  var dialog = document.createElement("dialog");
  dialog.className = "viewer";
  dialog.setAttribute("aria-label", gallery.getAttribute("aria-label") || "Photos");
  dialog.innerHTML =
    '<figure><img alt=""><figcaption aria-live="polite"></figcaption></figure>' +
    '<button type="button" class="viewer-prev"></button>' +
    '<button type="button" class="viewer-next"></button>' +
    '<button type="button" class="viewer-close"></button>';
  document.body.appendChild(dialog);
  var image = dialog.querySelector("img");
  var caption = dialog.querySelector("figcaption");
  var prev = dialog.querySelector(".viewer-prev");
  var next = dialog.querySelector(".viewer-next");
  var close = dialog.querySelector(".viewer-close");
  prev.textContent = "‹"; prev.setAttribute("aria-label", words.prev);
  next.textContent = "›"; next.setAttribute("aria-label", words.next);
  close.textContent = "×"; close.setAttribute("aria-label", words.close);
  var current = 0;

  function large(url) {
    // Same URL rewriting as the server: the size word is a path segment.
    if (url.indexOf("media.studio-net.fr") !== -1) {
      var base = url.replace(/([?&])(width|height|func|format)=[^&]*/g, "$1").replace(/[?&]+$/, "");
      return base + (base.indexOf("?") === -1 ? "?" : "&") + "width=1280&height=960&func=bound&format=jpg";
    }
    return url.replace(/\/(thumb|medium|large2|large3|large)(?=\/|\.|$)/, "/large3");
  }
  function show(index) {
    current = (index + links.length) % links.length;
    var link = links[current];
    var thumb = link.querySelector("img");
    image.src = large(link.getAttribute("href"));
    image.alt = thumb ? thumb.alt : "";
    caption.textContent = (current + 1) + words.of + links.length + (image.alt ? " — " + image.alt : "");
  }
  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(index);
      dialog.showModal();
      next.focus();
    });
  });
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
  });
  dialog.addEventListener("close", function () { links[current].focus(); });
})();
