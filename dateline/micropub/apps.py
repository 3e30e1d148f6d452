from django.apps import AppConfig


class MicropubConfig(AppConfig):
    name = "dateline.micropub"
    default_auto_field = "django.db.models.BigAutoField"
