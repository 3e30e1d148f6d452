"""Coverage-guided fuzzing of Markdown post files (YAML front matter and body), read as
`dateline import post.md` reads them. Seeds: `corpus/markdown/`.

The only acceptable failure is ImportFileError naming the field that is wrong.
"""

from __future__ import annotations

from _harness import instrumented, run, scratch_file, setup_django

with instrumented():
    setup_django()
    from collections import Counter

    from dateline.interchange.errors import ImportFileError
    from dateline.interchange.sources import open_records

PATH = scratch_file("post.md")


def test_one_input(data: bytes) -> None:
    PATH.write_bytes(data)
    try:
        list(open_records(PATH, skipped=Counter()))
    except ImportFileError as error:
        if not error.reason:
            raise AssertionError("an ImportFileError without a reason") from error


if __name__ == "__main__":
    run("markdown", test_one_input)
