"""What clipping tells the apps above it: a story was clipped (its Source is new)."""

from django.dispatch import Signal

# Sent inside the clip's transaction with `source_id=int` and `url=str`, after the draft
# and its Source are saved; listeners defer their work to the commit (sources archives
# the page at the Internet Archive when DATELINE_ARCHIVE_ON_CLIP is on).
source_clipped = Signal()
