"""`dateline labels suggest|retrain|apply`: label suggestions from the command line.

Thin on purpose: each sub-command parses its input, calls `labelling.services` and prints.
Nothing is ever labelled without the operator's say-so: `apply` needs `--yes`, and even
then adds only labels the blog already has.
"""

import json
from pathlib import Path

import frontmatter
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dateline.clipping.errors import ClipError
from dateline.clipping.services import extract
from dateline.interchange.markdown import MarkdownFileError, read_markdown_post
from dateline.labelling import services
from dateline.labelling.model import NotEnoughHistoryError
from dateline.labelling.suggest import LIMIT, Suggestion
from dateline.posts.models import Label, Post
from dateline.posts.rendering import render_body

PLACEHOLDER_URL = "https://example.invalid/page.html"
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}
TITLE_WIDTH = 48
ESSENTIAL_FIELDS = {"file", "front matter", "title"}


def read_input(path: Path, url: str | None) -> tuple[str, str]:
    """(title, HTML body) of a Markdown post with front matter or of a saved HTML page."""
    try:
        head = path.read_bytes()[:3]
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror or exc}") from None
    if path.suffix.lower() in MARKDOWN_SUFFIXES or head == b"---":
        return _read_markdown(path)
    try:
        article = extract(path.read_bytes(), url or PLACEHOLDER_URL)
    except ClipError as exc:  # no article, or a page too large to read
        raise CommandError(f"{path}: {exc}") from None
    return article.title, article.body_html


def _read_markdown(path: Path) -> tuple[str, str]:
    """A post file as `dateline post add` reads it; a draft whose lead image or source URL
    is not ready yet still gets suggestions (only the title and body matter here)."""
    try:
        record = read_markdown_post(path)
    except MarkdownFileError as exc:
        if exc.field in ESSENTIAL_FIELDS:
            raise CommandError(str(exc)) from None
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        return str(post.get("title", "")), render_body(post.content, "markdown")
    return record.title, render_body(record.body, record.body_format)


def suggestion_line(suggestion: Suggestion) -> str:
    """One label a line: its reason, then whether it is new and its score."""
    kind = "new" if suggestion.new else "existing"
    return f"{suggestion.reason}  ({kind}, {suggestion.score:.2f})"


class Command(BaseCommand):
    help = (
        "Label suggestions: `labels suggest FILE` ranks labels for a post or page, "
        "`labels retrain` refreshes the learned model, `labels apply --dry-run` proposes "
        "labels for unlabelled published posts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        suggest = actions.add_parser("suggest", help="Suggest labels for one file.")
        suggest.add_argument("file", type=Path, help="A Markdown post (front matter) or HTML page.")
        suggest.add_argument("--url", help="The page's address, for an HTML page.")
        suggest.add_argument("--json", action="store_true", help="Print a JSON list, best first.")
        suggest.add_argument("--limit", type=int, default=LIMIT, help="At most this many.")
        actions.add_parser("retrain", help="Retrain the model from the published posts now.")
        apply = actions.add_parser("apply", help="Propose labels for unlabelled published posts.")
        apply.add_argument("--dry-run", action="store_true", help="Only print the proposals.")
        apply.add_argument("--yes", action="store_true", help="Add the existing labels proposed.")
        apply.add_argument("--limit", type=int, default=0, help="Newest N posts only (0: all).")

    def handle(self, *args, action: str, **options) -> None:
        {"suggest": self.suggest, "retrain": self.retrain, "apply": self.apply}[action](options)

    def suggest(self, options: dict) -> None:
        title, body = read_input(options["file"], options["url"])
        suggestions = services.suggest_labels_for(title, body, options["limit"])
        if options["json"]:
            self.stdout.write(json.dumps([s.as_dict() for s in suggestions], ensure_ascii=False))
        elif not suggestions:
            self.stdout.write("No label clears the threshold.")
        for suggestion in () if options["json"] else suggestions:
            self.stdout.write(suggestion_line(suggestion))

    def retrain(self, options: dict) -> None:
        try:
            info = services.retrain()
        except NotEnoughHistoryError as exc:
            raise CommandError(
                f"Not retrained: {exc}. Suggestions keep using the blog's labels and the "
                "gazetteer until there is more labelled history."
            ) from None
        self.stdout.write(f"n_posts: {info.n_posts}")
        self.stdout.write(f"labels: {len(info.labels)} ({', '.join(info.labels)})")
        self.stdout.write(f"trained_at: {info.trained_at}")
        self.stdout.write(f"model: {services.model_path()}")

    def apply(self, options: dict) -> None:
        if not options["dry_run"] and not options["yes"]:
            raise CommandError("Review first with --dry-run; add --yes to apply the proposals.")
        posts = Post.objects.published().filter(labels__isnull=True).order_by("-published_at")
        if options["limit"] > 0:
            posts = posts[: options["limit"]]
        proposals = list(services.suggest_for_posts(posts.only("id", "title", "body_html")))
        self._print_table(proposals)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing changed.")
            return
        posts_changed, added = self._apply(proposals)
        self.stdout.write(f"Labelled {posts_changed} posts ({added} labels added).")

    def _print_table(self, proposals: list[tuple[Post, list[Suggestion]]]) -> None:
        self.stdout.write(f"{'id':>6}  {'title':<{TITLE_WIDTH}}  proposed labels (* = new)")
        for post, suggestions in proposals:
            title = post.title if len(post.title) <= TITLE_WIDTH else post.title[:47] + "…"
            names = ", ".join(s.label + ("*" if s.new else "") for s in suggestions) or "-"
            self.stdout.write(f"{post.pk:>6}  {title:<{TITLE_WIDTH}}  {names}")
        self.stdout.write(f"{len(proposals)} unlabelled published posts.")

    @transaction.atomic
    def _apply(self, proposals: list[tuple[Post, list[Suggestion]]]) -> tuple[int, int]:
        """Add only suggestions that are existing labels; new ones need a person."""
        by_name = {label.name.casefold(): label for label in Label.objects.all()}
        posts_changed = added = 0
        for post, suggestions in proposals:
            found = (by_name.get(s.label.casefold()) for s in suggestions if not s.new)
            labels = [label for label in found if label is not None]
            if labels:
                post.labels.add(*labels)
                posts_changed, added = posts_changed + 1, added + len(labels)
        return posts_changed, added
