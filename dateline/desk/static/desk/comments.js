/* The comment inbox, by keyboard and without reloads. Everything here also works without
   this file: every button is a small form that posts and comes back to the inbox.
   Keys act only while focus is in the list (WCAG 2.1.4), never while typing. */
(function () {
  "use strict";
  var list = document.getElementById("inbox");
  if (!list) { return; }
  var status = document.getElementById("inbox-status");
  var keys = document.getElementById("inbox-keys");
  var TARGET = { approve: "approved", spam: "spam", delete: "removed" };
  if (keys) { keys.hidden = false; }

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".inbox-comment")); }
  function current() {
    var here = document.activeElement && document.activeElement.closest(".inbox-comment");
    return here && list.contains(here) ? here : null;
  }
  function focusItem(item) {
    if (!item) { return; }
    items().forEach(function (other) { other.tabIndex = other === item ? 0 : -1; });
    item.focus();
  }
  var first = items()[0];
  if (first) { first.tabIndex = 0; }

  function say(text) {
    status.textContent = "";
    var line = document.createElement("p");
    line.className = "message";
    line.textContent = text;
    status.appendChild(line);
  }
  function bumpCount(tabStatus, change) {
    var link = document.querySelector('.tabs a[href$="' + (tabStatus === "pending" ? "/desk/comments/" : "status=" + tabStatus) + '"] .count');
    if (link) { link.textContent = String(Math.max(0, parseInt(link.textContent, 10) + change)); }
  }
  function currentTab() {
    var input = document.querySelector("#bulk input[name=tab]");
    return input ? input.value : "pending";
  }
  function removeItems(ids, action) {
    var tab = currentTab();
    var next = null;
    ids.forEach(function (id) {
      var item = document.getElementById("c" + id);
      if (!item) { return; }
      var all = items();
      var index = all.indexOf(item);
      next = all[index + 1] || all[index - 1] || null;
      item.closest(".inbox-item").remove();
      bumpCount(tab, -1);
      if (action) { bumpCount(TARGET[action], 1); }
    });
    if (next && document.getElementById(next.id)) { focusItem(next); }
    if (!items().length) {
      var empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = "Nothing left here.";
      list.replaceWith(empty);
    }
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    // getAttribute: buttons named "action" shadow the form's .action property.
    return fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) {
        throw new Error("not an answer for scripts");
      }
      return response.json().then(function (answer) { answer.ok = response.ok; return answer; });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var isAction = form.matches(".actions") || form.id === "bulk";
    var isReply = !!form.closest(".reply") && list.contains(form);
    if ((!isAction && !isReply) || form.dataset.plain) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    var action = submitter && submitter.name === "action" ? submitter.value : null;
    send(form, submitter).then(function (answer) {
      say(answer.ok ? answer.message : answer.error);
      if (!answer.ok) { return; }
      if (isReply) {
        form.reset();
        form.closest("details").open = false;
        if (currentTab() === "pending") { removeItems(answer.changed, "approve"); }
        return;
      }
      removeItems(answer.changed, action);
    }).catch(function () {
      // Not reached, or not understood: post the form the ordinary way instead.
      form.dataset.plain = "yes";
      form.requestSubmit(submitter || undefined);
    });
  });

  list.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target.matches("textarea, input:not([type=checkbox]), select, [contenteditable]")) { return; }
    var item = current();
    var all = items();
    var index = item ? all.indexOf(item) : -1;
    var key = event.key;
    if (key === "j" || key === "k") {
      event.preventDefault();
      focusItem(all[key === "j" ? Math.min(all.length - 1, index + 1) : Math.max(0, index - 1)]);
    } else if (item && (key === "a" || key === "s" || key === "d")) {
      var button = item.querySelector('.actions button[data-key="' + key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    } else if (item && key === "r") {
      var details = item.querySelector("details.reply");
      if (details) { event.preventDefault(); details.open = true; details.querySelector("textarea").focus(); }
    } else if (item && key === "x") {
      var box = item.querySelector("input[type=checkbox]");
      if (box && target !== box) { event.preventDefault(); box.checked = !box.checked; }
    }
  });
}());
