// Client-side search for the static mirror: reads /search-index.json (the shards' addresses
// and the posts' order, siteexport/searchindex.py), then every shard, and lists the posts
// whose title, labels or opening words contain every word typed. Results are built with
// DOM calls (textContent), never as HTML, so nothing in a post can run as script.
(function () {
  "use strict";
  var list = document.getElementById("mirror-search-results");
  var status = document.getElementById("mirror-search-status");
  var input = document.getElementById("mirror-q");
  if (!list || !status || !input) return;
  var query = (new URLSearchParams(location.search).get("q") || "").trim();
  input.value = query;
  if (!query) return;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

  function score(entry) {
    var title = fold(entry.t), labels = fold(entry.l.join(" ")), text = fold(entry.x);
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      var found = (title.includes(word) ? 3 : 0) + (labels.includes(word) ? 2 : 0) +
        (text.includes(word) ? 1 : 0);
      if (!found) return 0;
      total += found;
    }
    return total;
  }

  function item(entry) {
    var li = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = entry.u;
    link.textContent = entry.t;
    heading.appendChild(link);
    var date = document.createElement("p");
    date.className = "post-date";
    date.textContent = entry.d + (entry.l.length ? " · " + entry.l.join(", ") : "");
    var snippet = document.createElement("p");
    snippet.className = "search-snippet";
    snippet.textContent = entry.x.slice(0, 200);
    li.append(heading, date, snippet);
    return li;
  }

  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + " answered " + response.status);
      return response.json();
    });
  }

  // Every entry, in the index's order (newest post first, then the pages).
  function entriesOf(head) {
    return Promise.all(head.shards.map(json)).then(function (shards) {
      var byId = new Map();
      shards.forEach(function (shard) {
        shard.forEach(function (entry) { byId.set(entry.i, entry); });
      });
      return head.order.map(function (id) { return byId.get(id); }).filter(Boolean);
    });
  }

  status.textContent = "Searching…";
  json(list.dataset.index)
    .then(entriesOf)
    .then(function (entries) {
      var hits = entries.map(function (e) { return [score(e), e]; })
        .filter(function (hit) { return hit[0] > 0; })
        .sort(function (a, b) { return b[0] - a[0]; });
      status.textContent = hits.length + (hits.length === 1 ? " post" : " posts") +
        " found for \u201c" + query + "\u201d.";
      hits.slice(0, 50).forEach(function (hit) { list.appendChild(item(hit[1])); });
    })
    .catch(function () { status.textContent = "The search index could not be loaded."; });
})();
