"""Background tasks run in the blog's stored settings, as requests do.

The desk stores the blog's time zone and language; a request applies them
(BlogSettingsMiddleware), and so do the commands that write posts (dateline.cli). A task
in `dateline worker` ran in the environment's zone instead, so a post its import or clip
published near midnight got the month of the wrong zone in its /YYYY/MM/ path. Each task
now runs inside `applied()`, entered when it starts and left when it finishes, so a
setting changed while the worker runs holds from the next task on.
"""

import threading
from contextlib import ExitStack

from django.dispatch import receiver
from django_tasks.signals import task_finished, task_started

from dateline.site_settings.current import applied

_running = threading.local()


def _stacks() -> list[ExitStack]:
    if not hasattr(_running, "stacks"):
        _running.stacks = []
    return _running.stacks


@receiver(task_started, dispatch_uid="dateline-task-in-blog-settings")
def _enter_blog_settings(sender: type, **kwargs: object) -> None:
    stack = ExitStack()
    _stacks().append(stack)  # first: task_finished pops it even if entering fails
    stack.enter_context(applied())


@receiver(task_finished, dispatch_uid="dateline-task-left-blog-settings")
def _leave_blog_settings(sender: type, **kwargs: object) -> None:
    if _stacks():
        _stacks().pop().close()
