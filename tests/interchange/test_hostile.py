"""Hostile and broken files are refused with a message naming file, line and entry."""

import io
import re

import pytest

from dateline.interchange.blogger_legacy import read_blogger_legacy
from dateline.interchange.detect import detect_format, read_export
from dateline.interchange.errors import ImportFileError
from dateline.interchange.wordpress import read_wxr

WXR_HEAD = (
    '<?xml version="1.0"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n'
    "<channel><title>t</title>\n"
)
ATOM_KIND = "http://schemas.google.com/blogger/2008/kind#"


def write(tmp_path, text, name="export.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refuse(path, reader=read_export):
    with pytest.raises(ImportFileError) as caught:
        list(reader(path))
    return caught.value


def blogger_entry(entry_id, kind, extra=""):
    id_elem = f"<id>{entry_id}</id>" if entry_id else ""
    return (
        f"<entry>{id_elem}<published>2020-01-01T00:00:00Z</published>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{ATOM_KIND}{kind}'/>"
        f"<title>t</title><content type='html'>x</content>{extra}</entry>\n"
    )


def blogger_file(*entries):
    return (
        "<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:thr='http://purl.org/syndication/thread/1.0'>\n"
        "<id>tag:blogger.com,1999:blog-1</id>\n" + "".join(entries) + "</feed>\n"
    )


@pytest.mark.parametrize("reader", [read_export, read_wxr])
def test_an_external_entity_is_refused_and_the_file_is_never_read(tmp_path, reader):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    path = write(
        tmp_path,
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file://{secret}">\n]>\n'
        + WXR_HEAD.split("\n", 1)[1]
        + "<item><title>&xxe;</title></item></channel></rss>",
    )
    error = refuse(path, reader)
    assert "DOCTYPE" in str(error)
    assert error.line == 2
    assert str(path) in str(error)
    assert "TOP-SECRET" not in str(error)


def billion_laughs(root: str, body: str) -> str:
    """Nine levels of entities, each ten of the one below, expanded inside `body`."""
    lols = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n<!ENTITY lol0 "lol">\n{lols}]>\n{body}'


def test_billion_laughs_is_refused(tmp_path):
    path = write(
        tmp_path,
        billion_laughs(
            "feed", "<feed xmlns='http://www.w3.org/2005/Atom'><title>&lol9;</title></feed>"
        ),
    )
    for reader in (read_export, read_blogger_legacy):
        assert "DOCTYPE" in str(refuse(path, reader))


@pytest.mark.parametrize("reader", [read_wxr, read_blogger_legacy])
def test_billion_laughs_under_a_root_no_reader_reads_is_refused_as_a_dtd(tmp_path, reader):
    """The parser hands over only the elements a reader reads; libxml2 may stop such a file
    before any of them, and the refusal still says why, with the line."""
    path = write(tmp_path, billion_laughs("lolz", "<lolz><x>&lol9;</x></lolz>"))
    error = refuse(path, reader)
    assert "DOCTYPE" in str(error) and error.line == 2


def test_a_truncated_file_names_the_line_where_it_broke(tmp_path):
    text = blogger_file(blogger_entry("tag:blogger.com,1999:blog-1.post-1", "post"))
    path = write(tmp_path, text[: text.index("</entry>")])
    error = refuse(path)
    assert "broken XML" in str(error)
    assert error.line == 4


def test_an_undefined_entity_is_broken_xml(tmp_path):
    path = write(tmp_path, WXR_HEAD + "<item><title>&nbsp;</title></item></channel></rss>")
    assert "broken XML" in str(refuse(path, read_wxr))


@pytest.mark.parametrize(
    ("text", "looks_like"),
    [
        (
            '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title></channel></rss>',
            "RSS feed",
        ),
        ("<!DOCTYPE html>\n<html><body>hi</body></html>", None),
        ("<html><body><p>hi</body></html>", "HTML page"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'><title>x</title></feed>", "Atom feed"),
        ("just some text", None),
    ],
)
def test_other_files_are_not_a_blogger_or_wordpress_export(tmp_path, text, looks_like):
    error = refuse(write(tmp_path, text))
    assert ("not a Blogger or WordPress export" in str(error)) or "DOCTYPE" in str(error)
    if looks_like:
        assert looks_like in str(error)


def test_a_reader_given_the_wrong_format_refuses_it(fixture_file):
    error = refuse(fixture_file("blogger-takeout.atom"), read_wxr)
    assert "not a Blogger or WordPress export" in str(error)


def test_a_post_without_an_id_names_its_line_and_title(tmp_path):
    path = write(tmp_path, blogger_file(blogger_entry("", "post")))
    error = refuse(path)
    assert error.line == 4
    assert re.search(r"line 4, entry t: post has no <id>", str(error))


def test_a_wxr_item_without_a_post_id_is_refused(tmp_path):
    item = "<item><title>Lost</title><wp:post_type>post</wp:post_type></item>\n"
    path = write(tmp_path, WXR_HEAD + item + "</channel></rss>")
    error = refuse(path)
    assert error.line == 4 and error.entry == "Lost"


def test_a_comment_on_a_post_not_in_the_file_is_refused(tmp_path):
    reply = "<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-404'/>"
    path = write(
        tmp_path,
        blogger_file(
            blogger_entry("tag:blogger.com,1999:blog-1.post-1", "post"),
            blogger_entry("tag:blogger.com,1999:blog-1.post-7", "comment", reply),
        ),
    )
    error = refuse(path)
    assert error.entry == "blogger:1.post-7" and error.line == 5
    assert "blogger:1.post-404" in str(error)


def test_the_same_id_twice_is_refused(tmp_path):
    entry = blogger_entry("tag:blogger.com,1999:blog-1.post-1", "post")
    error = refuse(write(tmp_path, blogger_file(entry, entry)))
    assert "twice" in str(error) and error.line == 5


def test_detection_reads_only_the_head_and_leaves_an_open_file_where_it_was(fixture_file):
    data = fixture_file("wordpress.xml").read_bytes()
    stream = io.BytesIO(data)
    assert detect_format(stream) == "wxr"
    assert stream.tell() == 0
    assert detect_format(fixture_file("blogger-legacy.xml")) == "blogger-legacy"
    assert detect_format(fixture_file("blogger-takeout.atom")) == "blogger-takeout"
