// Suggests the towns of the site's catalogue in the search's place field (a <datalist>
// filled from /annonces/lieux.json). Progressive enhancement: without this script the
// field is a plain text input, and every place still works typed in full.
(function () {
  "use strict";
  var DELAY = 200; // ms after the last keystroke: one request per pause, not per key
  document.querySelectorAll("input[data-place-suggestions]").forEach(function (input, n) {
    var list = document.createElement("datalist");
    list.id = "place-suggestions-" + n;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        // The field is a comma list: suggest for the item being typed, keep the others.
        var items = input.value.split(",");
        var last = items.pop().trim();
        var kept = items.map(function (item) { return item.trim(); }).filter(Boolean);
        if (last.length < 2 || last === asked) return;
        asked = last;
        var url = input.dataset.placeSuggestions + "?q=" + encodeURIComponent(last);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { places: [] }; })
          .then(function (data) {
            list.replaceChildren();
            (data.places || []).forEach(function (place) {
              var option = document.createElement("option");
              option.value = kept.concat([place.name]).join(", ");
              option.label = place.name + " " + place.zip_code + " (" + place.count + ")";
              list.appendChild(option);
            });
          })
          .catch(function () { /* offline: the field still takes any place typed */ });
      }, DELAY);
    });
  });
})();
