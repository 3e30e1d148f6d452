"""Full static builds: Dateline's mirror against Pelican on the same generated Markdown.

    .venv/bin/python bench/export.py [--sizes 1000 10000] [--workers 2] [--no-pelican]

For each size: generate N Markdown posts (YAML front matter for Dateline, Pelican's own
metadata lines for Pelican, same titles, dates, labels and bodies), import them, build the
whole mirror (`--workers` processes), time it (wall and CPU, ours and the workers'), edit a
post and time the incremental update, seven times over (median and range); then build the
same posts with Pelican, installed into the benchmark's own throwaway venv under /tmp.
Prints seconds per 1,000 posts and the ratio. Goals (issue 6): under 1.6 s per 1,000 posts
(Hugo here), incremental under 1 s. The machine is shared: figures are noisy, so CPU time
is printed beside wall time.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PELICAN_VENV = Path(tempfile.gettempdir()) / "dateline-bench-pelican-venv"
WORDS = [
    "harbour", "ferry", "council", "river", "barge", "tram", "storm", "wind", "power", "grid",
    "election", "budget", "minister", "strike", "court", "school", "hospital", "bridge",
    "railway", "port", "border", "market", "price", "farmers", "fishing", "coast", "island",
    "drought", "flood", "summit", "treaty", "talks", "union",
]  # fmt: skip
LABELS = [f"Topic {n:03d}" for n in range(200)]
EDITS = 7  # incremental updates timed, each after an edit of a different post


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 22))).capitalize() + "."


def generate(n: int, ours: Path, pelican: Path) -> None:
    """The same N posts twice: YAML front matter (Dateline) and Pelican metadata lines."""
    rng = random.Random(n)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    for folder in (ours, pelican):
        folder.mkdir(parents=True)
    for i in range(n):
        title = f"{sentence(rng)[:60].rstrip('.')} {i}"
        when = start + timedelta(hours=7 * i)
        labels = rng.sample(LABELS, 3)
        body = "\n\n".join(
            [sentence(rng) + " " + sentence(rng) for _ in range(6)]
            + ["## Background", "> " + sentence(rng), sentence(rng) + " " + sentence(rng)]
        )  # fmt: skip
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        quoted = ", ".join(f'"{label}"' for label in labels)
        (ours / f"post-{i:05d}.md").write_text(
            f'---\ntitle: "{title}"\npublished: {stamp}\nlabels: [{quoted}]\n---\n\n{body}\n'
        )
        (pelican / f"post-{i:05d}.md").write_text(
            f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M}\nSlug: post-{i:05d}\n"
            f"Tags: {', '.join(labels)}\n\n{body}\n"
        )


def cpu_seconds() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def setup_django(data_dir: Path) -> None:
    os.environ.update(
        DATELINE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dateline.settings.prod",
        DATELINE_HTTPS="false", DATELINE_SECRET_KEY="bench-export-" + "x" * 40,
        DATELINE_STATIC_MIRROR_URL="http://localhost",
    )  # fmt: skip
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def dateline_build(n: int, markdown: Path, work: Path, workers: int) -> dict[str, float]:
    """Import, then a full build, and incremental updates after edits of one post each."""
    from django.core.management import call_command
    from django.db import connections

    from dateline.posts.models import Post
    from dateline.siteexport.build import build_site
    from dateline.siteexport.incremental import update_site

    connections["default"].close()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    Post.objects.all().delete()
    with open(os.devnull, "w") as quiet:
        call_command("import", str(markdown), verbosity=0, stdout=quiet)
    mirror = work / "mirror"
    shutil.rmtree(mirror, ignore_errors=True)
    figures: dict[str, float] = {}
    wall, cpu = time.perf_counter(), cpu_seconds()
    report = build_site(mirror, workers=workers)
    figures["full"], figures["full_cpu"] = time.perf_counter() - wall, cpu_seconds() - cpu
    figures["files"] = len(report.changed)
    ids = list(Post.objects.published().order_by("published_at").values_list("id", flat=True))
    walls, cpus = [], []
    for edit in range(EDITS):  # one figure is noise on a shared machine: several edits
        post = Post.objects.get(pk=ids[(n // 2 + 37 * edit) % len(ids)])
        post.body_source += "\n\nA correction was added to this story."
        post.save()
        wall, cpu = time.perf_counter(), cpu_seconds()
        report = update_site(mirror, workers=workers)
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
        assert not report.full, "an edit of one post must not rebuild the site"
    figures["incremental"], figures["incremental_cpu"] = (
        statistics.median(walls),
        statistics.median(cpus),
    )
    figures["incremental_first"] = walls[0]  # the first after the build: nothing warmed yet
    figures["incremental_min"], figures["incremental_max"] = min(walls), max(walls)
    figures["incremental_files"] = len(report.changed)
    return figures


def pelican_python() -> Path:
    python = PELICAN_VENV / "bin/python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pelican", "markdown"],
                       check=True)  # fmt: skip
    return python


def pelican_build(content: Path, work: Path) -> tuple[float, float]:
    settings = work / "pelicanconf.py"
    settings.write_text('SITENAME = "Bench"\nSITEURL = ""\nTIMEZONE = "UTC"\n'
                        "DEFAULT_PAGINATION = 10\nFEED_ALL_ATOM = 'feeds/all.atom.xml'\n"
                        "CACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n")  # fmt: skip
    output = work / "pelican-output"
    shutil.rmtree(output, ignore_errors=True)
    pelican = [str(pelican_python()), "-m", "pelican", str(content), "-o", str(output),
               "-s", str(settings), "-q"]  # fmt: skip
    wall, cpu = time.perf_counter(), cpu_seconds()
    subprocess.run(pelican, check=True)
    return time.perf_counter() - wall, cpu_seconds() - cpu


def run_size(n: int, workers: int, pelican: bool = True) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"dateline-bench-export-{n}-"))
    generate(n, work / "ours", work / "pelican")
    # One Django process per size (a fresh SQLite database): run each size in a child.
    child = [sys.executable, __file__, "--child", str(n), str(work), str(workers)]
    subprocess.run(child, check=True)
    if not pelican:
        shutil.rmtree(work, ignore_errors=True)
        return
    pelican_wall, pelican_cpu = pelican_build(work / "pelican", work)
    per = 1000 / n
    print(f"  Pelican full build: {pelican_wall * per:6.2f} s per 1,000 posts "
          f"(wall {pelican_wall:.1f} s, CPU {pelican_cpu:.1f} s)")  # fmt: skip
    ours = float((work / "ours-full.txt").read_text())
    print(f"  ratio Pelican / Dateline (wall): {pelican_wall / ours:.2f}x faster")
    shutil.rmtree(work, ignore_errors=True)


def child(n: int, work: Path, workers: int) -> None:
    setup_django(work / "data")
    figures = dateline_build(n, work / "ours", work, workers)
    per = 1000 / n
    print(f"{n:,} posts, {workers} workers")
    print(f"  Dateline full build: {figures['full'] * per:6.2f} s per 1,000 posts "
          f"(wall {figures['full']:.1f} s, CPU {figures['full_cpu']:.1f} s, "
          f"{int(figures['files']):,} files)")  # fmt: skip
    print(f"  Dateline incremental after one edit: {figures['incremental']:.3f} s, median of "
          f"{EDITS} edits (wall {figures['incremental_min']:.3f}-{figures['incremental_max']:.3f}"
          f" s, first {figures['incremental_first']:.3f} s; CPU median "
          f"{figures['incremental_cpu']:.3f} s; {int(figures['incremental_files'])} "
          "files rewritten)")  # fmt: skip
    (work / "ours-full.txt").write_text(str(figures["full"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-pelican", action="store_true", help="Dateline's figures only.")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), Path(args.child[1]), int(args.child[2]))
        return
    for n in args.sizes:
        run_size(n, args.workers, pelican=not args.no_pelican)


if __name__ == "__main__":
    main()
