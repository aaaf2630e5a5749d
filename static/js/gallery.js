// Gallery: progressive enhancement of a strip of plain links to the full-size photos.
// On the page: previous/next buttons over the strip (phones), ←/→ between photos, and a
// spoken position. In the full-screen viewer: Enter opens, ←/→ or a swipe browse, Escape
// closes, and focus returns to the photo opened. Without JavaScript the strip still scrolls
// (swipe) and every photo shows its position.
(function () {
  "use strict";
  var gallery = document.querySelector("[data-gallery]");
  if (!gallery) return;
  var strip = gallery.querySelector(".gallery-list");
  var links = Array.prototype.slice.call(gallery.querySelectorAll("a.gallery-item"));
  if (!strip || !links.length) return;
  var total = links.length;
  var controls = gallery.querySelector(".gallery-controls");
  var status = gallery.querySelector("[data-gallery-status]");
  var template = status ? status.getAttribute("data-template") || "{number} / {total}" : "";
  var SWIPE = 40; // px a finger must travel sideways to count as a swipe

  function position(index) {
    return (index + total) % total;
  }
  function say(index) {
    if (status) {
      status.textContent = template.replace("{number}", index + 1).replace("{total}", total);
    }
  }
  // The photo whose left edge is nearest the strip's: the one in view on a phone.
  function inView() {
    var left = strip.getBoundingClientRect().left, best = 0, distance = Infinity;
    links.forEach(function (link, index) {
      var d = Math.abs(link.parentNode.getBoundingClientRect().left - left);
      if (d < distance) { distance = d; best = index; }
    });
    return best;
  }
  function scrollTo(index) {
    var item = links[index].parentNode;
    strip.scrollTo({ left: item.offsetLeft - strip.firstElementChild.offsetLeft, behavior: "smooth" });
    say(index);
  }
  if (controls) {
    controls.hidden = false;
    controls.querySelector(".gallery-prev").addEventListener("click", function () {
      scrollTo(position(inView() - 1));
    });
    controls.querySelector(".gallery-next").addEventListener("click", function () {
      scrollTo(position(inView() + 1));
    });
  }
  strip.addEventListener("keydown", function (event) {
    var index = links.indexOf(document.activeElement);
    if (index === -1 || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    var target = position(index + (event.key === "ArrowRight" ? 1 : -1));
    links[target].focus({ preventScroll: true });
    scrollTo(target);
    event.preventDefault();
  });

  if (typeof HTMLDialogElement === "undefined") return;
  var lang = document.documentElement.lang || "fr";
  var words = lang.indexOf("fr") === 0
    ? { close: "Fermer", of: " sur " }
    : lang.indexOf("de") === 0
      ? { close: "Schließen", of: " von " }
      : { close: "Close", of: " of " };
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
  var pagePrev = controls && controls.querySelector(".gallery-prev");
  var pageNext = controls && controls.querySelector(".gallery-next");
  prev.textContent = "‹"; prev.setAttribute("aria-label", pagePrev ? pagePrev.getAttribute("aria-label") : "‹");
  next.textContent = "›"; next.setAttribute("aria-label", pageNext ? pageNext.getAttribute("aria-label") : "›");
  close.textContent = "×"; close.setAttribute("aria-label", words.close);
  if (total < 2) { prev.hidden = true; next.hidden = true; }
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
    current = position(index);
    var link = links[current];
    var thumb = link.querySelector("img");
    image.src = large(link.getAttribute("href"));
    image.alt = thumb ? thumb.alt : "";
    caption.textContent = (current + 1) + words.of + total + (image.alt ? " — " + image.alt : "");
  }
  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      show(index);
      dialog.showModal();
      (total > 1 ? next : close).focus();
    });
  });
  prev.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  close.addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
  });
  var startX = null, startY = null;
  dialog.addEventListener("touchstart", function (event) {
    startX = event.touches[0].clientX; startY = event.touches[0].clientY;
  }, { passive: true });
  dialog.addEventListener("touchend", function (event) {
    if (startX === null) return;
    var dx = event.changedTouches[0].clientX - startX;
    var dy = event.changedTouches[0].clientY - startY;
    startX = null;
    // Sideways and far enough: a swipe, not a tap or a vertical scroll.
    if (Math.abs(dx) > SWIPE && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
  });
  dialog.addEventListener("close", function () {
    links[current].focus({ preventScroll: true });
    scrollTo(current);
  });
})();
