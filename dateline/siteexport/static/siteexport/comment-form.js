// The static mirror's comment form. A static page cannot carry a reader's CSRF token or a
// fresh "form shown at" time, so both are fetched from the live page (same origin, through
// nginx: a URL with a query string is always answered by the live server) before sending.
// The fields' names come from the script tag (data-reader-fields, written by
// siteexport/render.py from core/readerfields.py): the one list of them.
(function () {
  "use strict";
  var script = document.currentScript;
  var names = ((script && script.dataset.readerFields) || "").split(" ").filter(Boolean);
  var form = document.querySelector('form[action^="/comments/post/"]');
  if (!form || !names.length) return;
  var fields = names.map(function (name) {
    return form.querySelector('input[name="' + name + '"]');
  });
  if (fields.some(function (field) { return !field; })) return;
  if (fields[0].value) return; // a live page carries its own
  var livePage = location.pathname + "?comment-form";
  var pending = null;

  function fetchFields() {
    if (!pending) {
      pending = fetch(livePage, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error("live page answered " + response.status);
          return response.text();
        })
        .then(function (text) {
          var page = new DOMParser().parseFromString(text, "text/html");
          var live = names.map(function (name) {
            return page.querySelector('input[name="' + name + '"]');
          });
          if (live.some(function (field) { return !field; })) {
            throw new Error("no comment form on the live page");
          }
          fields.forEach(function (field, i) { field.value = live[i].value; });
        })
        .catch(function (error) {
          pending = null;
          throw error;
        });
    }
    return pending;
  }

  form.addEventListener("focusin", function () { fetchFields().catch(function () {}); });
  form.addEventListener("submit", function (event) {
    if (fields[0].value) return;
    event.preventDefault();
    fetchFields().then(
      function () { form.submit(); },
      function () { location.href = livePage + "#comment-form"; }
    );
  });
})();
