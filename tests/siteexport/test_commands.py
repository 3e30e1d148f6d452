"""Commands that write the blog leave the mirror current when they return (real processes).

Each step runs `dateline …` in a child process with DATELINE_STATIC_MIRROR set, in its own
SQLite data folder, and looks at the mirror only after the process has exited: an update
left on a background thread would die with it.
"""

from __future__ import annotations

from pathlib import Path

from tests.ops.helpers import child_env, dateline

ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Tidal mill grinds flour again | Estuary News</title></head><body>
<header><nav><a href="/">Estuary News</a></nav></header>
<main><article><h1>Tidal mill grinds flour again</h1>
<p class="byline">By Ines Maro</p>
<p>The tidal mill at the head of the creek turned its stones this week for the first
time in sixty years, powered by the water held back behind its dam at high tide.</p>
<p>Volunteers spent four winters rebuilding the wheel from oak felled on the estate, and
the first sacks of wholemeal went to the village bakery on Saturday morning.</p>
<p>The mill will open to visitors on spring tides, when the pond fills high enough to
run the wheel for three hours either side of low water.</p>
<p>Its keepers hope the flour will pay for the upkeep of the sluice gates, which need
new timber every decade and were the reason the mill closed in the first place.</p>
</article></main><footer>Estuary News</footer></body></html>
"""


def post_file(folder: Path, name: str, title: str, label: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f'---\ntitle: "{title}"\nstatus: published\nlabels: ["{label}"]\n---\n\n'
                    f"{title}, as the harbour office told it.\n")  # fmt: skip
    return path


def run(*args: str, env: dict[str, str]) -> str:
    result = dateline(*args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def sidebar(mirror: Path) -> str:
    return (mirror / ".dateline/sidebar.html").read_text()


def test_post_add_import_clip_and_demo_leave_the_mirror_current_when_they_return(tmp_path):
    mirror = tmp_path / "mirror"
    env = child_env(tmp_path / "data", DATELINE_STATIC_MIRROR=str(mirror),
                    DATELINE_STATIC_MIRROR_URL="http://localhost",
                    DATELINE_ALLOWED_HOSTS="localhost")  # fmt: skip
    run("collectstatic", "--noinput", env=env)  # as `dateline serve` does first
    run("demo", env=env)
    assert (mirror / "index.html").is_file()  # no mirror yet: the first write builds it
    home = (mirror / "index.html").read_text()
    assert home.count("<article") >= 1

    posts = tmp_path / "posts"
    posts.mkdir()
    run("post", "add", str(post_file(posts, "one", "Ferry fares frozen", "Ferries")), env=env)
    assert "Ferry fares frozen" in (mirror / "index.html").read_text()
    assert ">Ferries</a> (1)" in sidebar(mirror)

    batch = tmp_path / "batch"
    batch.mkdir()
    for number in range(3):
        post_file(batch, f"b{number}", f"Harbour dues review part {number + 1}", "Ferries")
    run("import", str(batch), env=env)
    assert ">Ferries</a> (4)" in sidebar(mirror)
    listing = (mirror / "search/label/Ferries/index.html").read_text()
    assert all(f"Harbour dues review part {number}" in listing for number in (1, 2, 3))

    saved = tmp_path / "mill.html"
    saved.write_text(ARTICLE)
    path = run("clip", str(saved), "--url", "https://news.invalid/mill", "--publish",
               "--label", "Mills", env=env).strip()  # fmt: skip
    assert path.endswith(".html")
    assert "tidal mill" in (mirror / path.lstrip("/")).read_text().lower()
    assert ">Mills</a> (1)" in sidebar(mirror)


def test_a_first_post_on_a_fresh_data_folder_builds_the_mirror_without_a_failure(tmp_path):
    """No `collectstatic` or `serve` before: the update's full build collects the static
    files its pages name (it failed with "Missing staticfiles manifest entry")."""
    mirror = tmp_path / "mirror"
    env = child_env(tmp_path / "data", DATELINE_STATIC_MIRROR=str(mirror),
                    DATELINE_STATIC_MIRROR_URL="http://localhost",
                    DATELINE_ALLOWED_HOSTS="localhost")  # fmt: skip
    posts = tmp_path / "posts"
    posts.mkdir()
    result = dateline("post", "add", str(post_file(posts, "one", "Ferry fares frozen", "Ferries")),
                      env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "failed" not in result.stderr and "Traceback" not in result.stderr
    assert "Ferry fares frozen" in (mirror / "index.html").read_text()
