"""The interchange services views, commands and tasks call (the writes live in the modules).

- `import_records`: records from any reader → the database, in one transaction.
- `export_to` / `export_records`: the database → Blogger, WXR or a Markdown folder.
- `open_records`: pick the reader for a path.
- `import_file`: a path → the database, optionally downloading its images first.
"""

from .exporting import FORMATS, ExportFormat, export_records, export_to
from .import_file import import_file
from .importing import ImportSummary, import_records
from .sources import open_records

__all__ = [
    "FORMATS",
    "ExportFormat",
    "ImportSummary",
    "export_records",
    "export_to",
    "import_file",
    "import_records",
    "open_records",
]
