"""The environment every bench runs a blog's process in, named once.

Production settings on the given data folder, plain HTTP, no page cache (pages are timed
as they are made, not as they are remembered) and a throwaway secret key naming the bench.
"""

from __future__ import annotations

import os
from pathlib import Path


def blog_environment(data_dir: Path, bench: str, **settings: str) -> dict[str, str]:
    """This process's environment with a bench blog's settings; `settings` add or override."""
    return {**os.environ, "DATELINE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "dateline.settings.prod", "DATELINE_HTTPS": "false",
            "DATELINE_SECRET_KEY": f"bench-{bench}-" + "x" * 40, "DATELINE_PAGE_CACHE": "false",
            **settings}  # fmt: skip
