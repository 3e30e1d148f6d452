// The static mirror's comment form. A static page cannot carry a reader's CSRF token or a
// fresh "form shown at" time, so both are fetched from the live page (same origin, through
// nginx: a URL with a query string is always answered by the live server) before sending.
(function () {
  "use strict";
  var form = document.querySelector('form[action^="/comments/post/"]');
  if (!form) return;
  var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
  var started = form.querySelector('input[name="started"]');
  if (!token || !started || token.value) return; // a live page carries its own
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
          var liveToken = page.querySelector('input[name="csrfmiddlewaretoken"]');
          var liveStarted = page.querySelector('input[name="started"]');
          if (!liveToken || !liveStarted) throw new Error("no comment form on the live page");
          token.value = liveToken.value;
          started.value = liveStarted.value;
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
    if (token.value) return;
    event.preventDefault();
    fetchFields().then(
      function () { form.submit(); },
      function () { location.href = livePage + "#comment-form"; }
    );
  });
})();
