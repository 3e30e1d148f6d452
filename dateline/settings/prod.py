"""Production: what `dateline serve` runs. HTTPS hardening on unless DATELINE_HTTPS=false."""

from dateline.settings.base import *  # noqa: F403
from dateline.settings.environment import env_bool, env_int

DATELINE_HTTPS = env_bool("DATELINE_HTTPS", True)

SESSION_COOKIE_SECURE = DATELINE_HTTPS
CSRF_COOKIE_SECURE = DATELINE_HTTPS
SECURE_SSL_REDIRECT = DATELINE_HTTPS and env_bool("DATELINE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DATELINE_HSTS_SECONDS", 31536000) if DATELINE_HTTPS else 0
# includeSubDomains covers only hosts under the blog's own host name, and the preload
# flag enrols nothing by itself (a site must be submitted), so both are safe defaults.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DATELINE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DATELINE_HSTS_PRELOAD", True)
if env_bool("DATELINE_BEHIND_PROXY", False):
    # Only trust X-Forwarded-Proto when a proxy we run sets it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
