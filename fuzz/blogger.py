"""Coverage-guided fuzzing of the Blogger readers (the legacy Atom export and Takeout's
`feed.atom`), through the importer's own entry. Seeds: `corpus/blogger/`."""

from __future__ import annotations

from _export import export_reader
from _harness import run

if __name__ == "__main__":
    run("blogger", export_reader("blog-export.xml"))
