// Favourites kept in this browser (localStorage, no account, nothing sent anywhere).
// Progressive enhancement: the heart buttons and the "My favourites" link stay hidden
// without JavaScript; the favourites page itself works from its URL (?ids=...), and
// opened without one it loads the list this browser keeps.
(function () {
  "use strict";
  var KEY = "vitrine:favourites";
  var MAX = 60;
  function read() {
    try {
      var ids = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.filter(function (x) { return /^\d+$/.test(String(x)); }).map(String) : [];
    } catch (e) { return []; }
  }
  function write(ids) {
    try { window.localStorage.setItem(KEY, JSON.stringify(ids.slice(-MAX))); } catch (e) { /* storage off: nothing kept */ }
  }
  function refresh() {
    var ids = read();
    document.querySelectorAll("[data-fav]").forEach(function (button) {
      var on = ids.indexOf(button.dataset.fav) !== -1;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.hidden = false;
    });
    document.querySelectorAll("[data-fav-link]").forEach(function (link) {
      var base = link.getAttribute("href").split("?")[0];
      link.setAttribute("href", ids.length ? base + "?ids=" + ids.join(",") : base);
      var count = link.querySelector("[data-fav-count]");
      if (count) count.textContent = ids.length ? "(" + ids.length + ")" : "";
      link.closest("[data-fav-nav]").hidden = false;
    });
    document.querySelectorAll("[data-fav-remove]").forEach(function (button) {
      button.hidden = ids.indexOf(button.dataset.favRemove) === -1;
    });
  }
  function toggle(id) {
    var ids = read();
    var at = ids.indexOf(id);
    if (at === -1) ids.push(id); else ids.splice(at, 1);
    write(ids);
    refresh();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fav]");
    if (button) { toggle(button.dataset.fav); return; }
    var remove = event.target.closest("[data-fav-remove]");
    if (remove) {
      toggle(remove.dataset.favRemove);
      var item = remove.closest("[data-fav-item]");
      if (item) item.remove();
    }
  });
  // The favourites page opened without a list (a bookmark, the address typed): the
  // browser's own list is what the visitor means. replace(): "back" skips the empty page.
  if (document.querySelector("[data-fav-page]") && !new URLSearchParams(window.location.search).get("ids")) {
    var saved = read();
    if (saved.length) {
      window.location.replace(window.location.pathname + "?ids=" + saved.join(","));
      return;
    }
  }
  window.addEventListener("storage", function (event) { if (event.key === KEY) refresh(); });
  refresh();
})();
