"""Signals the posts app sends about its own data.

`posts_imported`: bulk writes (imports) send no post_save or m2m_changed, so derived data
(the content version, the search index, the mirror) listens here instead. It is sent
inside the writing transaction whenever the write changed anything (a label-, comment- or
redirect-only change counts too), with `post_ids=set[int]`: every post created or updated,
or whose labels or comments were written (possibly empty: a redirect belongs to no post).
"""

from django.dispatch import Signal

posts_imported = Signal()
