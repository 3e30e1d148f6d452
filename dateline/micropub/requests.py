"""A Micropub request read into one shape, whether it came form-encoded, as multipart or
as JSON: an action, a URL, the object's type and its properties (each a list)."""

import json
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

MAX_JSON_BYTES = 1_000_000
RESERVED = {"h", "action", "url", "access_token"}


class MicropubError(Exception):
    """An error as the spec names it (`invalid_request`, `forbidden`...), with its status."""

    def __init__(self, error: str, description: str, status: int = 400, scope: str = ""):
        super().__init__(description)
        self.error, self.description, self.status, self.scope = error, description, status, scope


@dataclass
class MicropubRequest:
    action: str = "create"
    url: str = ""
    kind: str = "entry"  # h=entry / "type": ["h-entry"]
    properties: dict[str, list] = field(default_factory=dict)
    changes: dict[str, object] = field(default_factory=dict)  # update: replace/add/delete
    files: dict[str, list[UploadedFile]] = field(default_factory=dict)


def _from_json(request: HttpRequest) -> MicropubRequest:
    if len(request.body) > MAX_JSON_BYTES:
        raise MicropubError("invalid_request", f"The JSON is over {MAX_JSON_BYTES:,} bytes.")
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise MicropubError("invalid_request", "The body is not JSON.") from None
    if not isinstance(data, dict):
        raise MicropubError("invalid_request", "The JSON body must be an object.")
    action = data.get("action", "create")
    if action != "create":
        changes = {key: data[key] for key in ("replace", "add", "delete") if key in data}
        return MicropubRequest(action=str(action), url=str(data.get("url", "")), changes=changes)
    types = data.get("type") or ["h-entry"]
    properties = data.get("properties")
    if not isinstance(types, list) or not isinstance(properties, dict):
        raise MicropubError("invalid_request", "A JSON create needs type and properties.")
    for name, values in properties.items():
        if not isinstance(values, list):
            raise MicropubError("invalid_request", f"Property {name!r} must be a list.")
    kind = str(types[0]).removeprefix("h-") if types else "entry"
    return MicropubRequest(kind=kind, properties=properties)


def read_request(request: HttpRequest) -> MicropubRequest:
    """The request's Micropub content; MicropubError when it has none that makes sense."""
    if request.content_type == "application/json":
        return _from_json(request)
    form = request.POST
    properties: dict[str, list] = {}
    for key in form:
        if key in RESERVED:
            continue
        name = key.removesuffix("[]")
        properties.setdefault(name, []).extend(value for value in form.getlist(key))
    files = {key.removesuffix("[]"): request.FILES.getlist(key) for key in request.FILES}
    return MicropubRequest(action=form.get("action", "create"), url=form.get("url", ""),
                           kind=form.get("h", "entry"), properties=properties,
                           files=files)  # fmt: skip
