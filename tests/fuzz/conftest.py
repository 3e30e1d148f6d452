"""Hypothesis settings for the fuzz tests: modest by default so CI stays quick.

Every example has a deadline, so a hang or a quadratic blow-up fails the test
instead of stalling the suite. HYPOTHESIS_PROFILE=deep runs many more, random examples.
The example database is off: no `.hypothesis/` directory in the working tree.
"""

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dateline",
    max_examples=120,
    deadline=timedelta(seconds=2),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    # The same examples on every run, so CI never goes red by chance; "deep" explores.
    derandomize=True,
)
settings.register_profile(
    "deep", parent=settings.get_profile("dateline"), max_examples=5000, derandomize=False
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dateline"))
