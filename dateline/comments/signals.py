"""What the comments app tells the rest of the site, without knowing who listens."""

from django.dispatch import Signal

# A reader's comment was stored and waits for moderation. Sent by the comment view with
# `comment` and `site_url` (the address the reader used, for links in messages); the desk
# listens and e-mails the authors once the comment is committed.
comment_held = Signal()
