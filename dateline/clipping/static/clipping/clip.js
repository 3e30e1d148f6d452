// The "with page HTML" bookmarklet opens /clip/?html=1&url=… and then posts the page's
// HTML to this window. Accept it only from the window that opened us and only from the
// origin of the story's own address; it merely fills the form, which the author submits.
(function () {
  "use strict";
  var form = document.getElementById("clip-form");
  if (!form || form.getAttribute("data-wants-html") !== "1") {
    return;
  }
  var status = document.getElementById("html-status");
  var expected;
  try {
    expected = new URL(form.elements.url.value).origin;
  } catch (error) {
    status.textContent = "The story's address is missing, so its HTML cannot be accepted.";
    return;
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== expected || !window.opener || event.source !== window.opener) {
      return;
    }
    if (!data || data.dateline !== "page-html" || typeof data.html !== "string") {
      return;
    }
    form.elements.html.value = data.html;
    status.textContent = "The page's HTML arrived (" + data.html.length +
      " characters). Check the fields and press Clip.";
    event.source.postMessage("dateline:received", event.origin);
  });
  window.setTimeout(function () {
    if (!form.elements.html.value) {
      status.textContent = "The page's HTML did not arrive (the site may block it). " +
        "Press Clip to fetch the address instead, or paste the HTML.";
    }
  }, 15000);
})();
