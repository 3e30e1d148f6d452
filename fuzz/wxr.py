"""Coverage-guided fuzzing of the WordPress (WXR) reader, through the importer's own entry.
Seeds: `corpus/wxr/`."""

from __future__ import annotations

from _export import export_reader
from _harness import run

if __name__ == "__main__":
    run("wxr", export_reader("wordpress-export.xml"))
