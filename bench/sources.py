"""Link checks over a local web: the confusion table of states, and checks per minute.

Usage: python bench/sources.py [--sources 1000] [--hosts 40] [--interval 0.2] [--rounds 3]

Starts --hosts real HTTP servers, each on its own loopback address (127.0.1.N), and
spreads --sources sources over them, each of one known kind: alive, moved, blocked (403),
bot wall (503 challenge), flapping 503, 404, 410, redirect to home, soft 404 (on hosts that
answer any path with 200), parked (on parked hosts), refused (a port nothing listens on)
and no such host (.invalid). Runs --rounds checks of every source (as three weekly runs
would), with one request per host per --interval seconds, and prints, per true kind, the
states the sources ended in, then how many checks per minute the runs sustained.

The goals: no source that answers is ever `dead`; every dead one is `dead` after 3 rounds.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ["alive", "moved", "blocked", "bot wall", "flapping 503", "404", "410", "home",
         "soft 404", "parked", "refused", "no such host"]  # fmt: skip
DEAD_KINDS = {"404", "410", "home", "soft 404", "parked", "refused", "no such host"}
PATHS = {"alive": "/story", "moved": "/moved", "blocked": "/walled", "bot wall": "/challenge",
         "flapping 503": "/flapping", "404": "/deleted", "410": "/removed",
         "home": "/old-story"}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ["DATELINE_DATA_DIR"] = tempfile.mkdtemp(prefix="dateline-bench-sources-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "dateline.settings.base"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.DATELINE_FETCH_ALLOW = "127.0.0.0/8"
    settings.DATELINE_WAYBACK_URL = "off"
    settings.DATELINE_SOURCE_CHECK_TIMEOUT = 2
    run(args, settings)


def run(args: argparse.Namespace, settings) -> None:
    from dataclasses import replace

    from dateline.posts.models import Source
    from dateline.sources import checking, politeness
    from dateline.sources.probe import check_policy
    from dateline.sources.states import State
    from tests.sources import web

    normal = [web.Site(_routes(web), web.NOT_FOUND) for _ in range(args.hosts)]
    soft = web.Site({"/story": web.page(web.ARTICLE)}, web.page(web.SORRY))
    parked = web.Site({}, web.page(web.PARKED))
    truth: dict[int, str] = {}
    for n in range(args.sources):
        kind = KINDS[n % len(KINDS)]
        truth[Source.objects.create(url=_url(kind, n, normal, soft, parked)).pk] = kind
    # Delays are scaled down from seconds to --interval: one request per host per interval.
    settings.DATELINE_SOURCE_HOST_INTERVAL = 0  # the claim's unit is whole seconds...
    interval = args.interval
    last: dict[str, float] = {}

    def polite_fetch(url, policy, sleep=time.sleep):  # ...so the bench spaces by --interval
        host = politeness.host_key(url)
        wait = last.get(host, 0) + interval - time.monotonic()
        if wait > 0:
            sleep(wait)
        last[host] = time.monotonic()
        return politeness.fetch(url, policy)

    import dateline.sources.probe as probe_module

    politeness.polite_fetch = probe_module.polite_fetch = polite_fetch
    policy = replace(check_policy(), total_timeout=2.0)
    history: dict[int, list[str]] = defaultdict(list)
    checks, started = 0, time.monotonic()
    for _ in range(args.rounds):
        for result in checking.check_many(checking.due(everything=True), policy):
            history[result.source.pk].append(result.health.state)
            checks += 1
    elapsed = time.monotonic() - started
    table: dict[str, Counter] = defaultdict(Counter)
    for pk, kind in truth.items():
        table[kind][history[pk][-1]] += 1
    states = [state.value for state in State]
    print(f"{'true kind':<14}" + "".join(f"{s:>12}" for s in states))
    for kind in KINDS:
        print(f"{kind:<14}" + "".join(f"{table[kind][s]:>12}" for s in states))
    wrongly_dead = sum(table[k][State.DEAD] for k in KINDS if k not in DEAD_KINDS)
    missed = sum(sum(table[k].values()) - table[k][State.DEAD] for k in DEAD_KINDS)
    print(f"\nanswering sources called dead: {wrongly_dead}; dead ones not dead after "
          f"{args.rounds} checks: {missed}")  # fmt: skip
    rate = checks / elapsed * 60
    print(f"{checks} checks in {elapsed:.1f} s over {args.hosts + 2} hosts "
          f"(one request per host per {interval} s): {rate:,.0f} checks/min")  # fmt: skip
    for site in [*normal, soft, parked]:
        site.close()


def _routes(web) -> dict:
    return {"/": web.page(web.HOME), "/story": web.page(web.ARTICLE),
            "/moved": web.redirect("/2009/new"), "/2009/new": web.page(web.ARTICLE),
            "/walled": web.page(web.BOT_WALL, 403), "/challenge": web.page(web.BOT_WALL, 503),
            "/flapping": web.flapping(503, 200, 503), "/deleted": web.NOT_FOUND,
            "/removed": web.page(b"gone", 410), "/old-story": web.redirect("/")}  # fmt: skip


def _url(kind: str, n: int, normal: list, soft, parked) -> str:
    if kind in PATHS:
        return normal[n % len(normal)].url(f"{PATHS[kind]}?n={n}")
    if kind == "soft 404":
        return soft.url(f"/2007/story-{n}")
    if kind == "parked":
        return parked.url(f"/2007/story-{n}")
    if kind == "refused":
        return f"http://127.0.0.19:9/story-{n}"
    return f"http://gone-{n}.invalid/story"


if __name__ == "__main__":
    main()
