"""Static mirror at scale: full build, incremental updates and live pages, per blog size.

    .venv/bin/python bench/export.py [--sizes 1000 10000 100000] [--workers 2] [--pelican]
                                     [--keep DIR] [--builds 3]

For each size (one child process and a fresh SQLite database each): generate N Markdown
posts (YAML front matter, 200 labels, three per post, dated back from 2025), import them,
then
- build the whole mirror `--builds` times (median and range), each into a new folder, in
  a process of its own (`dateline export --format site`, `--workers` processes), timed
  as the build reports itself (from reading the old manifest to the swap: the process's
  own wall time, printed beside it, adds Python's and Django's start and
  `collectstatic`), with its pages per post (each label's and month's listing pages and
  the feeds do not grow with the posts, so a small blog has more pages per post); then
  once more, not timed, while its process tree's resident memory is sampled (RSS and PSS
  summed over the tree, every 50 ms: PSS splits pages the workers share with their
  parent, so it is what the build really holds; `getrusage` gives the largest single
  process);
- publish a new post, unpublish one from the middle, edit one, each REPEAT times, and
  time the incremental update after each (median and range; the first update of a
  process reads the manifest from disk and is printed apart);
- time `dateline post add` of one post in a process of its own (as an author's command
  runs: it updates the mirror before it returns), with the mirror set and without;
- time the live home, post, label and search pages through Django with the page cache
  off (median and range of PAGE_READS requests each).
Then prints one table of how each cost grows with the blog. With --pelican, also builds
the same posts with Pelican (its own throwaway venv under /tmp) for comparison. With
--keep DIR, each size's freshly imported data directory is kept under DIR and a later run
with the same DIR copies it instead of generating and importing again (100,000 posts take
many minutes to import; the import is then not timed).
Goals (issue 20): a publish, unpublish or edit updates the mirror in under 1 s at 10,000
posts and under 3 s at 100,000; a full build stays at or under 1.0 s per 1,000 posts and
under 1 GB at 100,000. The machine is shared: figures are noisy, so ranges are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.blogenv import blog_environment  # noqa: E402

PELICAN_VENV = Path(tempfile.gettempdir()) / "dateline-bench-pelican-venv"
WORDS = [
    "harbour", "ferry", "council", "river", "barge", "tram", "storm", "wind", "power", "grid",
    "election", "budget", "minister", "strike", "court", "school", "hospital", "bridge",
    "railway", "port", "border", "market", "price", "farmers", "fishing", "coast", "island",
    "drought", "flood", "summit", "treaty", "talks", "union",
]  # fmt: skip
LABELS = [f"Topic {n:03d}" for n in range(200)]
REPEAT = 5  # updates timed per kind of change, each after a change to a different post
BUILDS = 3  # full builds timed per size, each into a new folder (--builds)
MEMORY = ("full_tree_rss", "full_tree_pss")  # read off one more build, not a timed one
PAGE_READS = 15  # requests timed per live page
NEWEST = datetime(2025, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=20 * 365)  # at most: a big blog posts more often, not for longer


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 22))).capitalize() + "."


def generate(n: int, ours: Path, pelican: Path | None) -> None:
    """N posts as Markdown with YAML front matter (and Pelican's metadata lines, if asked),
    every one in the past: seven hours apart, closer on a blog too big for that."""
    rng = random.Random(n)
    step = min(timedelta(hours=7), SPAN / n)
    start = NEWEST - step * n
    for folder in (ours, pelican):
        if folder is not None:
            folder.mkdir(parents=True)
    for i in range(n):
        title = f"{sentence(rng)[:60].rstrip('.')} {i}"
        when = start + step * i
        labels = rng.sample(LABELS, 3)
        body = "\n\n".join(
            [sentence(rng) + " " + sentence(rng) for _ in range(6)]
            + ["## Background", "> " + sentence(rng), sentence(rng) + " " + sentence(rng)]
        )  # fmt: skip
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        quoted = ", ".join(f'"{label}"' for label in labels)
        (ours / f"post-{i:06d}.md").write_text(
            f'---\ntitle: "{title}"\npublished: {stamp}\nlabels: [{quoted}]\n---\n\n{body}\n'
        )
        if pelican is not None:
            (pelican / f"post-{i:06d}.md").write_text(
                f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M}\nSlug: post-{i:06d}\n"
                f"Tags: {', '.join(labels)}\n\n{body}\n"
            )


def cpu_seconds() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def environment(data_dir: Path) -> dict[str, str]:
    return blog_environment(data_dir, "export", DATELINE_STATIC_MIRROR_URL="http://localhost")


def setup_django(data_dir: Path) -> None:
    os.environ.update(environment(data_dir))
    import django

    django.setup()


def tree_memory(pid: int) -> tuple[int, int]:
    """Resident bytes of a process and all its descendants: RSS (pages shared between
    them, such as the workers' copy-on-write memory, counted in each) and PSS (each shared
    page split between the processes sharing it, so the sum is what the tree really holds)."""
    rss = pss = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending += [int(child) for child in children]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return rss, pss


def full_build(mirror: Path, data_dir: Path, workers: int, sampled: bool) -> dict[str, float]:
    """`dateline export --format site` in its own process; with `sampled`, its tree's memory
    sampled meanwhile (reading the tree's /proc/PID/smaps_rollup every 50 ms slows the
    build it samples: a timed build is not sampled)."""
    command = [sys.executable, "-m", "dateline.cli", "export", "--format", "site", str(mirror),
               "--workers", str(workers)]  # fmt: skip
    log = data_dir.parent / "build.log"
    done = threading.Event()
    peak = [0, 0]  # tree RSS, tree PSS
    with open(log, "w+b") as output:
        wall = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=environment(data_dir), stdout=output,
                                   stderr=subprocess.STDOUT)  # fmt: skip

        def sample() -> None:
            while not done.wait(0.05):
                rss, pss = tree_memory(process.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)

        sampler = threading.Thread(target=sample, daemon=True)
        if sampled:
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)  # the child's own rusage, not ours
        seconds = time.perf_counter() - wall
        done.set()
        if sampled:
            sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        out = output.read().decode()
    if process.returncode != 0 or "Wrote" not in out:
        raise RuntimeError(f"the build failed: {out}")
    report = json.loads(out.split(": ", 1)[1].splitlines()[0])
    # The build's own time, as it reports it; the process's wall time adds Django's start.
    return {"full": report["seconds"], "full_process": seconds,
            "full_cpu": usage.ru_utime + usage.ru_stime,
            "full_tree_rss": peak[0], "full_tree_pss": peak[1],
            "full_max_rss": usage.ru_maxrss * 1024,
            "files": report["changed"], "urls": report["urls"]}  # fmt: skip


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def full_builds(work: Path, data_dir: Path, workers: int, builds: int) -> tuple[dict, Path]:
    """`builds` timed full builds and one more whose memory is sampled, each into a folder
    of its own; each figure's median and range, and the last build's folder (the updates
    use it). No folder is removed between builds: on a disk that discards freed blocks,
    files created soon after many were deleted cost more system time, which a build right
    after removing the last one's folder would pay."""
    timed = [full_build(work / f"mirror-{number}", data_dir, workers, sampled=False)
             for number in range(1, builds + 1)]  # fmt: skip
    mirror = work / "mirror-sampled"
    memory = full_build(mirror, data_dir, workers, sampled=True)
    figures = {key: spread([run[key] for run in timed]) for key in timed[0]}
    for key in MEMORY:
        figures[key] = spread([memory[key]])
    return figures, mirror


def updates(mirror: Path, n: int, workers: int) -> dict[str, dict]:
    """Publish a new post, unpublish one, edit one: REPEAT times each, every update timed."""
    from django.utils import timezone

    from dateline.posts.models import Label, Post
    from dateline.siteexport.incremental import update_site

    rng = random.Random(n + 1)
    ids = list(Post.objects.published().order_by("published_at").values_list("id", flat=True))
    labels = list(Label.objects.order_by("?")[:30])
    found: dict[str, list[float]] = {"publish": [], "unpublish": [], "edit": []}
    cpu: dict[str, list[float]] = {kind: [] for kind in found}
    files: dict[str, int] = {}
    first = None

    def timed(kind: str) -> None:
        nonlocal first
        wall, own = time.perf_counter(), time.process_time()
        report = update_site(mirror, workers=workers)
        seconds, used = time.perf_counter() - wall, time.process_time() - own
        assert not report.full, f"one {kind} must not rebuild the site"
        if first is None:
            first = seconds  # reads the manifest from disk: what a fresh process pays
        else:
            found[kind].append(seconds)
            cpu[kind].append(used)
        files[kind] = len(report.changed)

    timed("edit")  # a warm-up: the first update reads the manifest
    for round_ in range(REPEAT):
        post = Post.objects.create(
            title=f"Breaking: the harbour reopens, round {round_}", status=Post.Status.PUBLISHED,
            body_source="The harbour reopened this morning.\n\n" + sentence(rng),
            published_at=timezone.now(),
        )  # fmt: skip
        post.labels.add(*rng.sample(labels, 3))
        timed("publish")
        middle = Post.objects.get(pk=ids[rng.randrange(len(ids) // 4, 3 * len(ids) // 4)])
        middle.status = Post.Status.DRAFT
        middle.save()
        timed("unpublish")
        edited = Post.objects.get(pk=ids[rng.randrange(len(ids))])
        edited.body_source += "\n\nA correction was added to this story."
        edited.save()
        timed("edit")
    return {
        "first": first,
        **{
            kind: {**spread(times), "cpu": spread(cpu[kind]), "files": files[kind]}
            for kind, times in found.items()
        },
    }


def command_publish(mirror: Path, data_dir: Path, work: Path) -> dict[str, dict]:
    """`dateline post add` of one new post in a process of its own, as an author's command
    runs: with the mirror set (the command updates it before it returns) and without,
    REPEAT times each; the difference is the mirror's part. The runs with the mirror come
    first: a write no process of the mirror's heard makes its next update a whole read."""
    found: dict[str, list[float]] = {"with mirror": [], "without": []}
    for kind, extra in (("with mirror", {"DATELINE_STATIC_MIRROR": str(mirror)}),
                        ("without", {})):  # fmt: skip
        for round_ in range(REPEAT):
            story = work / f"command-{kind[:4]}-{round_}.md"
            story.write_text(f"---\ntitle: Harbour note {kind} {round_}\nstatus: published\n"
                             "---\nThe harbour reopened this morning.\n")  # fmt: skip
            command = [sys.executable, "-m", "dateline.cli", "post", "add", str(story)]
            wall = time.perf_counter()
            subprocess.run(command, cwd=ROOT, env={**environment(data_dir), **extra},
                           check=True, stdout=subprocess.DEVNULL)  # fmt: skip
            found[kind].append(time.perf_counter() - wall)
    return {kind: spread(times) for kind, times in found.items()}


def live_pages() -> dict[str, dict]:
    """The live site's home, a post, a label and a search, with the page cache off."""
    from django.test import Client

    from dateline.posts.models import Post

    client = Client(HTTP_HOST="localhost")
    post = Post.objects.published().order_by("-published_at")[500 % Post.objects.count()]
    urls = {"home": "/", "post": post.path, "label": "/search/label/Topic%20007",
            "search": "/search?q=harbour+ferry"}  # fmt: skip
    found = {}
    for name, url in urls.items():
        times = []
        for _ in range(PAGE_READS):
            wall = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - wall)
            assert response.status_code == 200, (url, response.status_code)
        found[name] = spread(times[1:])  # the first warms the process
    return found


def child(n: int, work: Path, workers: int, kept: Path | None, builds: int) -> None:
    """One size in a process of its own: import (or copy a kept import), build, update,
    read pages."""
    data_dir = work / "data"
    imported = None
    if kept is not None and kept.is_dir():
        shutil.copytree(kept, data_dir)
    setup_django(data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not (kept is not None and kept.is_dir()):
        wall = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command("import", str(work / "ours"), verbosity=0, stdout=quiet)
        imported = time.perf_counter() - wall
        if kept is not None:
            from django.db import connections

            connections.close_all()  # the database file whole, its journal folded in
            shutil.copytree(data_dir, kept)
    figures: dict = {"n": n, "workers": workers, "import": imported, "builds": builds}
    built, mirror = full_builds(work, data_dir, workers, builds)
    figures.update(built)
    figures["updates"] = updates(mirror, n, workers)
    figures["command"] = command_publish(mirror, data_dir, work)
    figures["pages"] = live_pages()
    (work / "figures.json").write_text(json.dumps(figures))


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


def run_size(n: int, workers: int, pelican: bool, keep: Path | None, builds: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"dateline-bench-export-{n}-"))
    kept = keep / f"{n}-data" if keep is not None else None
    try:
        if kept is None or not kept.is_dir() or pelican:
            generate(n, work / "ours", work / "pelican" if pelican else None)
        child_command = [sys.executable, __file__, "--child", str(n), str(work), str(workers),
                         str(kept or ""), str(builds)]  # fmt: skip
        subprocess.run(child_command, check=True)
        figures = json.loads((work / "figures.json").read_text())
        if pelican:
            figures["pelican"] = pelican_build(work / "pelican", work)[0]
        print_size(figures)
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _range(figure: dict, scale: float = 1.0, digits: int = 2) -> str:
    return (f"{figure['median'] * scale:.{digits}f} "
            f"({figure['min'] * scale:.{digits}f}-{figure['max'] * scale:.{digits}f})")  # fmt: skip


def print_size(figures: dict) -> None:
    n, per = figures["n"], 1000 / figures["n"]
    imported = "kept" if figures["import"] is None else f"{figures['import']:.1f} s"
    print(f"{n:,} posts, {figures['workers']} workers (import {imported})")
    mb = 1 / 2**20
    print(f"  full build, median (range) of {figures['builds']}: "
          f"{_range(figures['full'], per)} s per 1,000 posts (wall "
          f"{_range(figures['full'], digits=1)} s; the process "
          f"{_range(figures['full_process'], digits=1)} s, CPU "
          f"{_range(figures['full_cpu'], digits=1)} s; {figures['urls']['median']:,.0f} pages, "
          f"{figures['files']['median']:,.0f} files; memory: tree RSS "
          f"{_range(figures['full_tree_rss'], mb, 0)} MB, tree PSS "
          f"{_range(figures['full_tree_pss'], mb, 0)} MB, largest process "
          f"{_range(figures['full_max_rss'], mb, 0)} MB)")  # fmt: skip
    updates = figures["updates"]
    print(f"  first update of a process (reads the manifest): {updates['first']:.3f} s")
    for kind in ("publish", "unpublish", "edit"):
        print(f"  {kind}: {_range(updates[kind], digits=3)} s, median (range) of {REPEAT}; CPU "
              f"{_range(updates[kind]['cpu'], digits=3)} s; {updates[kind]['files']} files "
              "rewritten")  # fmt: skip
    command = figures["command"]
    print(f"  'post add' of one post, a process of its own: {_range(command['with mirror'])} s "
          f"with the mirror, {_range(command['without'])} s without")  # fmt: skip
    pages = figures["pages"]
    print(
        "  live pages, page cache off (ms, median (range)): "
        + "; ".join(f"{name} {_range(pages[name], 1000, 1)}" for name in pages)
    )
    if "pelican" in figures:
        print(f"  Pelican full build: {figures['pelican'] * per:.2f} s per 1,000 posts")
    sys.stdout.flush()


def print_table(results: list[dict]) -> None:
    """How each cost grows with the blog: one row per cost, one column per size."""
    columns = [f"{r['n']:,} posts" for r in results]
    rows = [
        ("full build, s per 1,000 posts",
         [_range(r["full"], 1000 / r["n"]) for r in results]),
        # Pages per post fall as the blog grows (each label's and month's listing pages,
        # the feeds): the per-page rate says whether rendering itself slows down.
        ("full build, pages per post",
         [f"{r['urls']['median'] / r['n']:.2f}" for r in results]),
        ("full build, s per 1,000 pages",
         [_range(r["full"], 1000 / r["urls"]["median"]) for r in results]),
        ("full build memory, tree RSS MB",
         [_range(r["full_tree_rss"], 2**-20, 0) for r in results]),
        ("full build memory, tree PSS MB (shared pages split)",
         [_range(r["full_tree_pss"], 2**-20, 0) for r in results]),
        ("full build, largest process MB", [_range(r["full_max_rss"], 2**-20, 0) for r in results]),
        ("full build, CPU s per 1,000 posts",
         [_range(r["full_cpu"], 1000 / r["n"]) for r in results]),
        *[(f"{kind} one post, s", [_range(r["updates"][kind], digits=3) for r in results])
          for kind in ("publish", "unpublish", "edit")],
        *[(f"{kind} one post, CPU s", [_range(r["updates"][kind]["cpu"], digits=3)
                                       for r in results])
          for kind in ("publish", "unpublish", "edit")],
        ("first update of a process, s", [f"{r['updates']['first']:.3f}" for r in results]),
        *[(f"'post add' command, {kind}, s", [_range(r["command"][kind]) for r in results])
          for kind in ("with mirror", "without")],
        *[(f"live {page}, ms (no page cache)", [_range(r["pages"][page], 1000, 1)
                                               for r in results])
          for page in ("home", "post", "label", "search")],
    ]  # fmt: skip
    width = max(len(name) for name, _ in rows)
    cells = [max(len(c), *(len(v[i]) for _, v in rows)) for i, c in enumerate(columns)]
    print()
    print(" " * width + "  " + "  ".join(c.rjust(w) for c, w in zip(columns, cells, strict=True)))
    for name, values in rows:
        print(name.ljust(width) + "  "
              + "  ".join(v.rjust(w) for v, w in zip(values, cells, strict=True)))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pelican", action="store_true", help="Also build with Pelican.")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="Keep each size's imported blog in DIR; reuse it when there.",
    )
    parser.add_argument(
        "--builds", type=int, default=BUILDS, help=f"Full builds timed per size (default {BUILDS})."
    )
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kept = Path(args.child[3]) if args.child[3] else None
        child(int(args.child[0]), Path(args.child[1]), int(args.child[2]), kept, int(args.child[4]))
        return
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    results = [run_size(n, args.workers, args.pelican, args.keep and args.keep.resolve(),
                        max(1, args.builds)) for n in args.sizes]  # fmt: skip
    print_table(results)


if __name__ == "__main__":
    main()
