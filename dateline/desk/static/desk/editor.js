// The desk's editor, enhanced: live preview, toolbar, images by drop/paste/picker, label
// chips, autosave, Ctrl/Cmd+S and a warning before leaving unsaved work. Without this
// file the form still saves, publishes and schedules by posting normally.
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) {
    return;
  }
  var body = form.elements.body_source;
  var title = form.elements.title;
  var csrf = form.elements.csrfmiddlewaretoken.value;
  var frame = document.getElementById("preview-frame");
  var previewStatus = document.getElementById("preview-status");
  var autosaveStatus = document.getElementById("autosave-status");
  var dirty = false;
  var changedSinceAutosave = false;
  var submitting = false;

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (json) {
        json.httpStatus = response.status;
        return json;
      });
    });
  }

  // --- unsaved changes ---------------------------------------------------------------
  function markDirty() {
    dirty = true;
    changedSinceAutosave = true;
  }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // --- Ctrl/Cmd+S saves ----------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      var button = form.querySelector("[data-default-save]");
      if (button) {
        form.requestSubmit(button);
      }
    }
  });

  // --- live preview ----------------------------------------------------------------------
  var previewTimer = null;
  var previewSeq = 0;

  function chosenLabels() {
    return Array.prototype.map.call(
      form.querySelectorAll("#label-chips input[name=labels]:checked"),
      function (input) {
        return input.value;
      }
    );
  }

  function refreshPreview() {
    var data = new FormData();
    data.append("title", title.value);
    data.append("body_source", body.value);
    chosenLabels().forEach(function (name) {
      data.append("labels", name);
    });
    var seq = ++previewSeq;
    post(form.getAttribute("data-preview-url"), data)
      .then(function (json) {
        if (seq !== previewSeq) {
          return; // a newer preview is on its way
        }
        if (json.error) {
          previewStatus.textContent = json.error;
          return;
        }
        var doc = frame.contentDocument;
        if (doc) {
          var heading = doc.querySelector(".post-title");
          var content = doc.querySelector(".post-body");
          if (heading) {
            heading.textContent = json.title;
          }
          if (content) {
            content.innerHTML = json.html; // sanitized by the server's one pipeline
          }
        }
        previewStatus.textContent = "Preview follows your typing.";
        showSuggestions(json.suggestions || []);
      })
      .catch(function () {
        previewStatus.textContent = "The preview could not be updated (offline?).";
      });
  }

  function schedulePreview() {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(refreshPreview, 400);
  }
  body.addEventListener("input", schedulePreview);
  title.addEventListener("input", schedulePreview);
  frame.addEventListener("load", function () {
    if (body.value || title.value) {
      refreshPreview();
    }
  });

  // --- label chips -------------------------------------------------------------------------
  var chips = document.getElementById("label-chips");
  var newLabel = form.elements.new_labels;
  var suggestionBox = document.getElementById("label-suggestions");

  function hasChip(name) {
    var wanted = name.toLowerCase();
    return chosenLabels().some(function (existing) {
      return existing.toLowerCase() === wanted;
    });
  }

  function addChip(name) {
    name = name.replace(/\s+/g, " ").trim();
    if (!name || hasChip(name)) {
      return;
    }
    var item = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    label.className = "chip";
    box.type = "checkbox";
    box.name = "labels";
    box.value = name;
    box.checked = true;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + name));
    item.appendChild(label);
    chips.appendChild(item);
    markDirty();
  }

  newLabel.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      newLabel.value.split(",").forEach(addChip);
      newLabel.value = "";
      schedulePreview();
    }
  });

  // A suggestion is a checkbox; ticking it moves it up among the chosen chips.
  suggestionBox.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name === "labels" && box.checked) {
      var item = box.closest("li");
      box.closest("label").classList.remove("suggested");
      chips.appendChild(item);
      box.focus();
      if (!suggestionBox.querySelector("input")) {
        suggestionBox.hidden = true;
      }
    }
  });

  function showSuggestions(list) {
    var holder = suggestionBox.querySelector("ul");
    var focused = document.activeElement;
    if (focused && holder.contains(focused)) {
      return; // never pull a checkbox from under the keyboard
    }
    holder.textContent = "";
    list.forEach(function (suggestion) {
      if (hasChip(suggestion.label)) {
        return;
      }
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      label.className = "chip suggested";
      label.title = suggestion.reason;
      box.type = "checkbox";
      box.name = "labels";
      box.value = suggestion.label;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + suggestion.label));
      if (suggestion.new) {
        var tag = document.createElement("span");
        tag.className = "new-tag";
        tag.textContent = "new";
        label.appendChild(document.createTextNode(" "));
        label.appendChild(tag);
      }
      item.appendChild(label);
      holder.appendChild(item);
    });
    suggestionBox.hidden = !holder.children.length;
  }

  // --- toolbar -----------------------------------------------------------------------------
  var toolbar = form.querySelector(".toolbar");
  toolbar.hidden = false;

  function replaceSelection(make) {
    var start = body.selectionStart;
    var end = body.selectionEnd;
    var selected = body.value.slice(start, end);
    var result = make(selected);
    body.setRangeText(result.text, start, end, "end");
    if (result.select) {
      body.setSelectionRange(start + result.select[0], start + result.select[1]);
    }
    body.focus();
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function prefixLines(prefix) {
    return function (selected) {
      var text = (selected || "text")
        .split("\n")
        .map(function (line) {
          return prefix + line;
        })
        .join("\n");
      return { text: text, select: [prefix.length, text.length] };
    };
  }

  function wrap(mark, placeholder) {
    return function (selected) {
      var inner = selected || placeholder;
      return { text: mark + inner + mark, select: [mark.length, mark.length + inner.length] };
    };
  }

  var formats = {
    heading: prefixLines("## "),
    bold: wrap("**", "bold text"),
    italic: wrap("*", "italic text"),
    quote: prefixLines("> "),
    list: prefixLines("- "),
    link: function (selected) {
      var text = selected || "link text";
      return { text: "[" + text + "](https://)", select: [text.length + 3, text.length + 11] };
    },
  };

  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-format]");
    if (!button) {
      return;
    }
    var name = button.getAttribute("data-format");
    if (name === "image") {
      openImageDialog(null);
    } else {
      replaceSelection(formats[name]);
    }
  });

  // Arrow keys move between toolbar buttons (one tab stop for the whole toolbar).
  var toolButtons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
  toolButtons.forEach(function (button, index) {
    button.tabIndex = index === 0 ? 0 : -1;
  });
  toolbar.addEventListener("keydown", function (event) {
    var index = toolButtons.indexOf(document.activeElement);
    if (index < 0 || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) {
      return;
    }
    var next = (index + (event.key === "ArrowRight" ? 1 : -1) + toolButtons.length) %
      toolButtons.length;
    toolButtons[index].tabIndex = -1;
    toolButtons[next].tabIndex = 0;
    toolButtons[next].focus();
  });

  body.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey) {
      var key = event.key.toLowerCase();
      if (key === "b" || key === "i") {
        event.preventDefault();
        replaceSelection(formats[key === "b" ? "bold" : "italic"]);
      }
    }
  });

  // --- images: picker, drop, paste --------------------------------------------------------
  var dialog = document.getElementById("image-dialog");
  var imageForm = document.getElementById("image-form");
  var imageError = document.getElementById("image-error");
  var insertAt = 0;

  function openImageDialog(file) {
    insertAt = body.selectionEnd;
    imageForm.reset();
    imageError.textContent = "";
    if (file) {
      var transfer = new DataTransfer();
      transfer.items.add(file);
      imageForm.elements.image.files = transfer.files;
    }
    dialog.showModal();
    (file ? imageForm.elements.alt : imageForm.elements.image).focus();
  }

  document.getElementById("image-cancel").addEventListener("click", function () {
    dialog.close();
    body.focus();
  });

  imageForm.addEventListener("submit", function (event) {
    event.preventDefault();
    imageError.textContent = "Uploading…";
    post(imageForm.action, new FormData(imageForm)).then(function (json) {
      if (!json.figure) {
        imageError.textContent = json.error || "The image was not accepted.";
        return;
      }
      dialog.close();
      var before = body.value.slice(0, insertAt);
      var gap = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
      body.setSelectionRange(insertAt, insertAt);
      body.setRangeText(gap + json.figure + "\n\n", insertAt, insertAt, "end");
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }).catch(function () {
      imageError.textContent = "The upload failed; check the connection and try again.";
    });
  });

  function firstImage(list) {
    for (var i = 0; i < (list ? list.length : 0); i++) {
      if (list[i].type && list[i].type.indexOf("image/") === 0) {
        return list[i];
      }
    }
    return null;
  }

  body.addEventListener("dragover", function (event) {
    if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
      event.preventDefault();
    }
  });
  body.addEventListener("drop", function (event) {
    var file = firstImage(event.dataTransfer && event.dataTransfer.files);
    if (file) {
      event.preventDefault();
      openImageDialog(file);
    }
  });
  body.addEventListener("paste", function (event) {
    var file = firstImage(event.clipboardData && event.clipboardData.files);
    if (file) {
      event.preventDefault();
      openImageDialog(file);
    }
  });

  // --- autosave ------------------------------------------------------------------------------
  var autosaving = false;

  function autosave() {
    if (!changedSinceAutosave || autosaving || submitting || (!title.value && !body.value)) {
      return;
    }
    var data = new FormData(form);
    data.delete("lead_image"); // a chosen file is sent once, with an explicit save
    data.delete("action");
    autosaving = true;
    changedSinceAutosave = false;
    post(form.getAttribute("data-autosave-url"), data)
      .then(function (json) {
        if (json.saved === "draft") {
          autosaveStatus.textContent = "Draft autosaved at " + json.at + ".";
          dirty = changedSinceAutosave;
          if (json.edit_url && form.getAttribute("action") !== json.edit_url) {
            form.setAttribute("action", json.edit_url);
            form.setAttribute("data-autosave-url", json.autosave_url);
            window.history.replaceState(null, "", json.edit_url);
          }
        } else if (json.saved === "revision") {
          autosaveStatus.textContent = "Changes kept as a revision at " + json.at +
            " (readers see them once you press Update).";
        } else {
          changedSinceAutosave = true;
          autosaveStatus.textContent = "Not autosaved: fix the marked fields and save.";
        }
      })
      .catch(function () {
        changedSinceAutosave = true;
        autosaveStatus.textContent = "Autosave failed (offline?); your text is still here.";
      })
      .then(function () {
        autosaving = false;
      });
  }
  window.setInterval(autosave, 10000);
})();
