// Search form: sorting applies as soon as it is chosen, and the query is written in the
// Gedeon format (`type=house,flat`, empty criteria left out) so that shared links stay
// short. Without JavaScript the form sends one parameter per ticked box, which the
// server reads the same way, and a "Sort" button applies the sort.
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  if (!form || !window.FormData || !window.URLSearchParams) return;
  var apply = document.querySelector("[data-sort-apply]");
  var sort = form.elements.namedItem("sort");
  if (sort) {
    if (apply) apply.hidden = true;
    sort.addEventListener("change", function () {
      // submit() skips the submit event: the server reads that query just as well.
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  }
  form.addEventListener("submit", function (event) {
    var values = {};
    var order = [];
    new FormData(form).forEach(function (value, name) {
      value = String(value).trim();
      if (!value) return;
      if (!values[name]) { values[name] = []; order.push(name); }
      values[name].push(value);
    });
    var query = new URLSearchParams();
    order.forEach(function (name) { query.set(name, values[name].join(",")); });
    event.preventDefault();
    // Gedeon's lists read "house,flat": a comma needs no escaping in a query string.
    var text = query.toString().replace(/%2C/gi, ",");
    window.location.assign(form.getAttribute("action") + (text ? "?" + text : ""));
  });
})();
