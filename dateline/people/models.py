"""What the blog says about a person: the name readers see. Never the login name."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """One per user who writes or wrote for the blog.

    Needs nothing of the account but its row: an imported author kept as a user with an
    unusable password and is_active=False has a profile like anyone else. `email` is
    for such authors, whose account may carry none; it is never shown.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        max_length=150, blank=True, help_text="Shown on posts and in feeds."
    )
    email = models.EmailField(blank=True, help_text="Never shown.")

    class Meta:
        permissions = [
            ("manage_people", "Can add authors and change their roles"),
            ("edit_any_post", "Can edit and publish anyone's posts"),
        ]

    def __str__(self) -> str:
        return self.display_name or f"profile {self.pk}"
