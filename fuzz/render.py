"""Coverage-guided fuzzing of the rendering pipeline: Markdown and HTML post bodies, and
comment text, through the renderers the site uses. Seeds: `corpus/render/`.

The first byte picks the renderer (its value modulo 3: `c` comment, `m` Markdown, `h` HTML;
the seeds start with those letters), the rest is the text, decoded as UTF-8 as every
stored text is. Whatever goes in, rendering must not fail, and what comes out must be a
fixed point of its sanitizer: sanitizing it again changes nothing, so nothing the
sanitizer would remove was left in.
"""

from __future__ import annotations

from _harness import instrumented, run, setup_django

with instrumented():
    setup_django()
    from dateline.comments.rendering import render_comment
    from dateline.core.sanitize import sanitize_comment_html, sanitize_post_html
    from dateline.posts.rendering import render_body


def test_one_input(data: bytes) -> None:
    if not data:
        return
    text = data[1:].decode("utf-8", "replace")
    mode = data[0] % 3
    if mode == 0:
        html, sanitize = render_comment(text), sanitize_comment_html
    else:
        html, sanitize = render_body(text, "markdown" if mode == 1 else "html"), sanitize_post_html
    again = sanitize(html)
    if again != html:
        raise AssertionError(f"not a fixed point of the sanitizer:\n{html!r}\n-> {again!r}")


if __name__ == "__main__":
    run("render", test_one_input)
