"""A form renderer that writes Django's plain input and textarea markup without templates.

The comment form under every post renders seven widgets; through Django's widget
templates (input.html including attrs.html) that cost about a millisecond a page, a sixth
of the whole post page. These are the same bytes Django's own templates give (the tests
compare them); any other widget still goes through the templates.
"""

import html

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.utils.safestring import SafeString, mark_safe

_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "email", "url", "hidden", "password", "number", "search")
}
_TEXTAREA = "django/forms/widgets/textarea.html"


def conditional_escape(value: object) -> str:
    """Django's conditional_escape without its lazy-string wrapper."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """attrs.html: `name="value"`, a bare `name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        elif value is not False:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class PlainWidgetRenderer(BaseRenderer):
    """Input and textarea widgets in Python; everything else by the default renderer."""

    def render(self, template_name: str, context: dict, request: object = None) -> SafeString:
        widget = context.get("widget")
        if widget is not None and template_name == widget.get("template_name"):
            name = conditional_escape(widget["name"])
            value = widget["value"]
            if template_name in _INPUTS:
                shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
                html = (
                    f'<input type="{conditional_escape(widget["type"])}" name="{name}"'
                    f"{shown}{_attrs(widget['attrs'])}>"
                )
                return mark_safe(html)  # noqa: S308 - every part escaped above
            if template_name == _TEXTAREA:
                text = conditional_escape(value) if value else ""
                html = f'<textarea name="{name}"{_attrs(widget["attrs"])}>\n{text}</textarea>'
                return mark_safe(html)  # noqa: S308 - every part escaped above
        return get_default_renderer().render(template_name, context, request)

    def get_template(self, template_name: str) -> object:
        return get_default_renderer().get_template(template_name)


PLAIN_WIDGETS = PlainWidgetRenderer()
