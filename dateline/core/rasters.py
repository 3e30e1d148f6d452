"""The one check every stored image passes, whoever brings it: upload, clip or import.

Only PNG, JPEG, GIF and WebP are kept (an SVG could carry script), each verified by
Pillow and held to a byte and a pixel limit, so a small file that decodes to a huge
bitmap (a decompression bomb) never reaches a thumbnailer or a reader's browser.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


class RasterRefused(Exception):
    """Bytes that are not an image we keep; the message says why, for a summary or form."""


def check_raster(data: bytes) -> str:
    """The file extension for an acceptable image; RasterRefused says what is wrong."""
    max_bytes = settings.DATELINE_IMAGE_MAX_BYTES
    if len(data) > max_bytes:
        raise RasterRefused(f"larger than {max_bytes:,} bytes")
    limit = settings.DATELINE_IMAGE_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            extension = FORMATS.get(image.format or "")
            if width * height <= limit:
                image.verify()
    except Image.DecompressionBombError:  # Pillow's own, far larger limit
        raise RasterRefused(f"more than {limit:,} pixels") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise RasterRefused("not a readable PNG, JPEG, GIF or WebP image") from None
    if width * height > limit:
        raise RasterRefused(f"{width}x{height} pixels is more than {limit:,} pixels")
    if extension is None:
        raise RasterRefused("not a PNG, JPEG, GIF or WebP image")
    return extension


def raster_extension(data: bytes) -> str | None:
    """The file extension for an acceptable image; None for anything else."""
    try:
        return check_raster(data)
    except RasterRefused:
        return None


def validate_uploaded_raster(upload) -> None:
    """Model-field validator: an uploaded image passes the same check as a clipped one."""
    if upload is None or getattr(upload, "_committed", True):
        return  # a file already stored: it passed when it came in
    upload.seek(0)
    data = upload.read(settings.DATELINE_IMAGE_MAX_BYTES + 1)
    upload.seek(0)
    try:
        check_raster(data)
    except RasterRefused as refused:
        raise ValidationError(f"This image was not accepted: {refused}.") from None
