"""The import entry for XML exports, shared by the Blogger and WordPress harnesses.

Each input is written to a file and read through `open_records`, the function
`dateline import` and the admin's import job call, to the last record. The only
acceptable failure is ImportFileError with a message (file, line, what is wrong).
"""

from __future__ import annotations

from collections.abc import Callable

from _harness import instrumented, scratch_file, setup_django

with instrumented():
    setup_django()
    from collections import Counter

    from dateline.interchange.errors import ImportFileError
    from dateline.interchange.sources import open_records


def export_reader(file_name: str) -> Callable[[bytes], None]:
    """A libFuzzer target reading each input as an export file named `file_name`."""
    path = scratch_file(file_name)

    def test_one_input(data: bytes) -> None:
        path.write_bytes(data)
        try:
            for _record in open_records(path, skipped=Counter()):
                pass
        except ImportFileError as error:
            if not error.reason:
                raise AssertionError("an ImportFileError without a reason") from error

    return test_one_input
