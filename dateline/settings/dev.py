"""Local development: debug pages, plain HTTP."""

from dateline.settings.base import *  # noqa: F403

DEBUG = True
