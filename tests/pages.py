"""Reading pages as a person would: visible text, in order, and the HTML's shape."""

import html5lib
from lxml import html as lxml_html

INVISIBLE = {"script", "style", "head", "template", "noscript"}


def visible_lines(content: bytes | str) -> list[str]:
    """The page's visible text, one stripped line per text block, hidden honeypot excluded."""
    tree = lxml_html.fromstring(content)
    hidden = [
        element
        for element in tree.iter()
        if element.tag in INVISIBLE or element.get("aria-hidden") == "true"
    ]
    for element in hidden:
        if element.getparent() is not None:
            element.drop_tree()
    text = tree.text_content()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def assert_in_order(lines: list[str], expected: list[str]) -> None:
    """Each expected line appears as a whole line, after the previous one."""
    position = -1
    for wanted in expected:
        later = [i for i, line in enumerate(lines) if line == wanted and i > position]
        assert later, f"{wanted!r} not found after line {position}: {lines[position + 1 :][:12]}"
        position = later[0]


def assert_valid_html5(content: bytes | str) -> None:
    """html5lib's strict parser raises on any parse error the HTML5 spec defines."""
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(content)


def h1_count(content: bytes | str) -> int:
    return len(lxml_html.fromstring(content).findall(".//h1"))
