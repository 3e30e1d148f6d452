"""A `dateline clip` in its own process, allowed to reach the test's loopback port.

Loopback clipping is test-only (settings/test.py), and the port is a setting, not an
environment variable, so this child sets it before running the real command:
    python -m tests.ops.clip_child PORT URL
"""

import os
import sys

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "dateline.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DATELINE_CLIP_TEST_PORTS = (int(sys.argv[1]),)
    call_command("clip", sys.argv[2])
