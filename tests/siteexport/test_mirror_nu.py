"""Every HTML file of the mirror, as nginx sends it, passes the Nu HTML checker.

The live pages are checked in tests/e2e/test_nu_checker.py; the mirror's are the same
bytes except what only the mirror has: the comment form's note and script, the sidebar
put back by nginx's include, and the client-side search page.
"""

from dateline.siteexport import collect, shared
from tests.e2e.nu import nu_errors


def test_every_mirrored_page_has_no_nu_errors(mirror, blog):
    names = sorted(
        path.relative_to(mirror).as_posix()
        for path in mirror.rglob("*.html")
        if not path.relative_to(mirror).as_posix().startswith(".")  # the shared sidebar
    )
    assert collect.SEARCH_PAGE.lstrip("/") in names
    post_file = collect.file_for(blog["ferry"].path)
    assert post_file in names
    pages = {name: shared.served(mirror, name) for name in names}
    assert b"siteexport/comment-form" in pages[post_file]  # the mirror's own form script
    assert all(shared.INCLUDE.encode() not in body for body in pages.values())
    errors = nu_errors(pages)
    assert not errors, "\n".join(errors)
