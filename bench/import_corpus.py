"""Import every export file in a folder as a new user would, and check what arrived.

Usage: .venv/bin/python bench/import_corpus.py DIR [--json]

For each `.xml` or `.atom` file in DIR, in its own child process with a fresh SQLite
data dir: an independent count of what the file holds (lxml, by element names, not our
readers), `import_file` (the code `dateline import` runs), then

- counts: posts, drafts, pages and comments found by the independent count next to the
  import's own (a difference is printed with the import's skipped reasons);
- URLs: every published post's path answers 200, every redirect answers 301 to a path
  that answers 200;
- idempotence: importing the file again writes nothing;
- round trip: export as WXR, import that into an empty blog, export again: the two
  exports are identical, and the blog holds the same posts (by path), labels and
  comments.

The files are other people's (the WordPress importer's phpunit data, Pelican's and
jekyll-import's fixtures): fetch them into a local folder; never commit them (their
licences differ from ours). Our own small fixtures for each case they revealed live in
tests/interchange/.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
COUNTED = ("posts", "drafts", "pages", "comments")
WP_SKIPPED = {"trash", "auto-draft", "inherit"}
WP_DRAFTS = {"draft", "pending", "private"}
KIND = "http://schemas.google.com/g/2005#kind"


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if local(child) == name:
            return (child.text or "").strip()
    return ""


def count_wxr(root: etree._Element) -> Counter:
    counts: Counter = Counter()
    for item in root.iter("item"):
        kind, status = child_text(item, "post_type"), child_text(item, "status")
        if kind not in ("post", "page") or status in WP_SKIPPED:
            continue
        if kind == "page":
            counts["pages"] += 1
        else:
            counts["drafts" if status in WP_DRAFTS else "posts"] += 1
        for comment in item:
            if local(comment) == "comment":
                approved = child_text(comment, "comment_approved")
                counts["comments"] += approved in ("1", "0", "")
    return counts


def count_blogger(root: etree._Element) -> Counter:
    """Legacy exports say the kind in a category; Takeout files in `blogger:type`."""
    counts: Counter = Counter()
    for entry in root:
        if local(entry) != "entry":
            continue
        kind = child_text(entry, "type").lower()
        for category in entry:
            if local(category) == "category" and category.get("scheme") == KIND:
                kind = category.get("term", "").rsplit("#", 1)[-1]
        status = child_text(entry, "status").upper()
        trashed = bool(child_text(entry, "trashed"))
        draft = status == "DRAFT" or any(
            local(e) == "draft" and (e.text or "").strip() == "yes" for e in entry.iter()
        )
        if trashed or status in ("DELETED", "SOFT_TRASHED"):
            continue
        if kind == "page":
            counts["pages"] += 1
        elif kind == "post":
            counts["drafts" if draft else "posts"] += 1
        elif kind == "comment":
            counts["comments"] += 1
    return counts


def independent_counts(path: Path) -> dict:
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    except etree.XMLSyntaxError as error:
        return {"error": f"not well-formed XML: {error}"}
    counts = count_wxr(root) if local(root) == "rss" else count_blogger(root)
    return {name: counts[name] for name in COUNTED}


def check_one(path: Path) -> dict:
    """In the child: import, check URLs, idempotence and the round trip."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from dateline.interchange.errors import ImportFileError
    from dateline.interchange.exporting import export_to
    from dateline.interchange.import_file import import_file
    from dateline.posts.models import Post, Redirect

    call_command("migrate", verbosity=0)
    result: dict = {"file": path.name, "expected": independent_counts(path)}
    try:
        summary = import_file(path)
    except ImportFileError as error:
        result["error"] = str(error)
        return result
    counts = summary.counts()
    result["imported"] = {name: counts[name] for name in COUNTED}
    result["skipped"] = dict(summary.skipped)
    result["kept"] = {k: v for k, v in summary.notes.items() if " kept as " in k}
    client, bad = Client(SERVER_NAME="localhost"), []
    for post in Post.objects.visible().exclude(path=None):
        status = client.get(post.path).status_code
        if status != 200:
            bad.append(f"{post.path} {status}")
    visible = set(Post.objects.visible().values_list("path", flat=True))
    for redirect in Redirect.objects.filter(new_path__in=visible):  # not scheduled ones
        response = client.get(redirect.old_path)
        if response.status_code != 301 or client.get(response["Location"]).status_code != 200:
            bad.append(f"{redirect.old_path} {response.status_code}")
    result["urls"] = "ok" if not bad else bad[:5]
    again = import_file(path)
    result["idempotent"] = not any(again.changes.values()) or dict(+again.changes)
    result["round_trip"] = round_trip(export_to, import_file)
    return result


def _site() -> dict:
    from dateline.comments.models import Comment
    from dateline.posts.models import Label, Post

    posts = {
        p.path or f"draft:{p.title}": (p.title, p.status, p.kind, p.body_html,
                                       sorted(label.name for label in p.labels.all()))
        for p in Post.objects.prefetch_related("labels")
    }  # fmt: skip
    comments = sorted(Comment.objects.values_list("post__title", "author_name", "body", "status"))
    return {
        "posts": posts,
        "comments": comments,
        "labels": sorted(Label.objects.values_list("name", flat=True)),
    }


def round_trip(export_to, import_file) -> str:
    from datetime import UTC, datetime

    from django.core.management import call_command

    generated = datetime(2026, 1, 1, tzinfo=UTC)  # the file's own time, pinned
    before = _site()
    with tempfile.TemporaryDirectory() as folder:
        first, second = Path(folder) / "one.xml", Path(folder) / "two.xml"
        export_to("wxr", first, generated=generated)
        call_command("flush", "--noinput", verbosity=0)
        import_file(first)
        export_to("wxr", second, generated=generated)
        after = _site()
        if after != before:
            lost = set(before["posts"]).symmetric_difference(after["posts"])
            return f"blog differs ({len(lost)} posts by path; labels or comments otherwise)"
        if first.read_bytes() != second.read_bytes():
            if os.environ.get("CORPUS_KEEP"):
                keep = Path(os.environ["CORPUS_KEEP"])
                keep.mkdir(parents=True, exist_ok=True)
                first.rename(keep / "one.xml")
                second.rename(keep / "two.xml")
            return "exports differ"
    return "ok"


def run_child(path: Path) -> dict:
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(DATELINE_DATA_DIR=data, DJANGO_SETTINGS_MODULE="dateline.settings.dev",
                   DATELINE_LOG_LEVEL="ERROR")  # fmt: skip
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(path)],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
        )  # fmt: skip
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"file": path.name, "error": f"crashed: {done.stderr.strip()[-400:]}"}


def row(result: dict) -> str:
    expected, imported = result.get("expected", {}), result.get("imported")
    found = "/".join(str(expected.get(n, "?")) for n in COUNTED)
    if imported is None:
        return f"| {result['file']} | {found} | refused: {result.get('error', '')[:120]} | | | |"
    got = "/".join(str(imported[n]) for n in COUNTED)
    same = "=" if all(expected.get(n) == imported[n] for n in COUNTED) else "≠"
    idem = "yes" if result["idempotent"] is True else f"no {result['idempotent']}"
    urls = result["urls"] if result["urls"] == "ok" else f"bad: {result['urls']}"
    return (
        f"| {result['file']} | {found} | {got} {same} | {urls} | {idem} | {result['round_trip']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--json", action="store_true", help="One JSON object per file.")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(check_one(args.one), default=str))
        return
    files = sorted(p for p in args.folder.iterdir() if p.suffix in (".xml", ".atom"))
    print(
        "| file | found posts/drafts/pages/comments | imported | URLs | idempotent | round trip |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    imported = 0
    for path in files:
        result = run_child(path)
        imported += "imported" in result
        print(json.dumps(result, default=str) if args.json else row(result), flush=True)
        if not args.json and (result.get("skipped") or result.get("kept")):
            print(f"|  | skipped: {result['skipped']}; {result['kept']} | | | | |")
    print(f"\n{imported} of {len(files)} files imported.")


if __name__ == "__main__":
    main()
