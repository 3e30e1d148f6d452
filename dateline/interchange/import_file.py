"""Import a file or folder, optionally bringing its images home: what the CLI and the task run.

`import_records` is one transaction; this wraps it with the network work of
`--fetch-images`, which runs before the transaction opens (see
`remote_images.py`), so a slow image site never holds the database's write lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from .errors import EntryProblems
from .importing import ImportSummary, import_records
from .local_files import LocalFiles
from .read_ahead import ReadAhead, worth_it
from .remote_images import ImageProgress, collect_image_urls, download_images, localize
from .sources import open_records
from .threads import PROBLEM

DRY_RUN_IMAGES = "images on other sites (not downloaded on a dry run)"


def import_file(
    path: Path,
    *,
    dry_run: bool = False,
    fetch_images: bool = False,
    progress: Callable[[ImportSummary], None] | None = None,
    image_progress: ImageProgress | None = None,
    uploaded: bool = False,
    strict: bool = False,
) -> ImportSummary:
    """Store everything in `path`, or nothing; ImportFileError says what is wrong and where.

    With `fetch_images`, remote images are downloaded first and the records
    rewritten to our media; the files of an import that then fails are removed.
    A big export without images to fetch is read in a second process (`read_ahead`).
    Images named by a local path are read only from inside `path`'s folder, and not at
    all from an `uploaded` file (it sits among other uploads). An entry that cannot be
    read is skipped and listed in `summary.problems`; with `strict` it refuses the file.
    """
    local_files = LocalFiles() if uploaded else LocalFiles.of(path)
    images = None
    notes: Counter[str] = Counter()
    if fetch_images:
        first_pass = EntryProblems(strict=strict)
        urls = collect_image_urls(open_records(path, skipped=Counter(), problems=first_pass))
        if dry_run:
            notes[DRY_RUN_IMAGES] = len(urls)
        else:
            images = download_images(urls, image_progress)
            notes.update(images.notes())
    skipped: Counter[str] = Counter()
    problems = EntryProblems(strict=strict)
    try:
        if images is None and worth_it(Path(path)):
            with ReadAhead(Path(path), skipped, problems) as prepared:
                summary = import_records(
                    prepared,
                    dry_run=dry_run,
                    reader_skipped=skipped,
                    progress=progress,
                    local_files=local_files,
                )
        else:
            records = open_records(path, skipped=skipped, problems=problems)
            if images is not None:
                records = localize(records, images.mapping())
            summary = import_records(
                records,
                dry_run=dry_run,
                reader_skipped=skipped,
                progress=progress,
                local_files=local_files,
            )
    except BaseException:
        if images is not None:
            images.discard()
        raise
    summary.notes.update(+notes)
    summary.problems = problems.entries
    if problems.entries:  # a Markdown folder's files are counted here too
        summary.skipped[PROBLEM] = len(problems.entries)
    return summary
