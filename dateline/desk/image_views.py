"""Images for a post's body, uploaded from the editor (drop, paste or picker).

They pass the same check as every stored image (core.rasters.check_raster) and are
stored under the same content-hashed names (posts.services.stored_image_name). The
editor inserts the answer's figure line; without JavaScript the page shows it to copy.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_http_methods

from dateline.core.rasters import RasterRefused, check_raster
from dateline.desk.access import author_required
from dateline.desk.views import desk_page
from dateline.posts.services import stored_image_name
from dateline.posts.tomarkdown import figure_html


class ImageForm(forms.Form):
    image = forms.FileField(label="Image file")
    alt = forms.CharField(
        label="Alternative text (what the image shows)", max_length=300, required=False
    )
    caption = forms.CharField(label="Caption", max_length=500, required=False)


@author_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload_image(request: HttpRequest) -> HttpResponse:
    """POST an image with alt text and caption; answer its media URL and figure line."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = ImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]
        data = upload.read(settings.DATELINE_IMAGE_MAX_BYTES + 1)
        try:
            extension = check_raster(data)
        except RasterRefused as refused:
            form.add_error("image", f"{upload.name} was not accepted: {refused}.")
        else:
            name = stored_image_name(data, upload.name, extension)
            url = default_storage.url(name)
            figure = figure_html(url, form.cleaned_data["alt"], form.cleaned_data["caption"])
            if wants_json:
                return JsonResponse({"url": url, "figure": figure})
            return desk_page(
                request, "desk/editor/uploaded.html", "write", image_url=url, figure=figure
            )
    if wants_json and request.method == "POST":
        errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return JsonResponse({"error": errors or "No image was sent."}, status=400)
    status = 400 if request.method == "POST" else 200
    response = desk_page(request, "desk/editor/upload.html", "write", form=form)
    response.status_code = status
    return response
