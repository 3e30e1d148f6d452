"""The Jinja2 environment's Django look-alikes answer as Django's own tags do."""

from django.templatetags.static import static as django_static
from django.test import override_settings

from dateline.serving.templating import static


def test_static_gives_djangos_url_and_follows_a_settings_change():
    assert static("dateline/site.css") == django_static("dateline/site.css")
    with override_settings(STATIC_URL="/assets/"):
        assert static("dateline/site.css") == django_static("dateline/site.css")
        assert static("dateline/site.css").startswith("/assets/")
    assert not static("dateline/site.css").startswith("/assets/")
