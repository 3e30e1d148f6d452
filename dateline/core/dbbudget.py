"""A time budget for the database work of one web request, on SQLite and PostgreSQL.

No reader's request may hold a server worker for minutes: every query a request runs
must end by the request's deadline (DATELINE_REQUEST_DB_BUDGET seconds after it came
in). On SQLite a progress handler, which SQLite calls every few thousand virtual-machine
steps, interrupts the statement once the deadline has passed; on PostgreSQL the session's
`statement_timeout` is set to the time left (and renewed as the request goes on), then
reset when the request ends. No statement starts after the deadline.

SQLite looks at the handler between its own steps; one step inside FTS5 (merging the
posting lists of a prefix's words) runs to its end, which is one reason search caps
prefixes (search.query).

Only the middleware installs the budget, so commands and background tasks (imports,
builds, `dateline search rebuild`) run without one. A stopped query raises
`DatabaseBudgetExceeded`; a view may catch it and say so (the search page does), and
anything else becomes a plain 503 page, never a traceback.
"""

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

# SQLite calls the handler every this many virtual-machine instructions: often enough
# to stop within a fraction of a millisecond, rarely enough to cost nothing measurable.
PROGRESS_STEPS = 10_000
# PostgreSQL: the timeout set before a statement is the time left then; it is set again
# once this share of the budget has passed, so no statement overruns the deadline by more.
RENEW_SHARE = 0.1
TOO_SLOW_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Too slow</title></head><body>
<h1>This page took too long</h1>
<p>The server stopped it rather than keep other readers waiting. Please try again later.</p>
</body></html>
"""

# Ending a savepoint runs whatever the time: refusing to roll back to one would leave
# the enclosing transaction unusable (Django marks the whole atomic block as failed).
_ENDS_A_SAVEPOINT = re.compile(r"\s*(ROLLBACK|RELEASE)\b", re.IGNORECASE)


class DatabaseBudgetExceeded(OperationalError):
    """A query of this request was stopped, or not started, because its time ran out."""


class _Budget:
    """One request's deadline and what it has armed on each connection."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        # alias -> (raw connection, when armed, deadline armed for)
        self.armed: dict[str, tuple[Any, float, float]] = {}

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict):
        """Django's execute wrapper: check the deadline, arm the connection, translate."""
        connection = context["connection"]
        if _ENDS_A_SAVEPOINT.match(sql):
            return execute(sql, params, many, context)
        if self.expired():
            raise DatabaseBudgetExceeded(f"Time budget of {self.seconds} s used up.")
        self._arm(connection)
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            if self.expired() or _is_cancellation(connection, error):
                raise DatabaseBudgetExceeded(
                    f"A query ran past the time budget of {self.seconds} s."
                ) from error
            raise

    def _arm(self, connection: Any) -> None:
        raw = connection.connection
        armed = self.armed.get(connection.alias)
        if connection.vendor == "sqlite":
            if armed is None or armed[0] is not raw:
                raw.set_progress_handler(self.expired, PROGRESS_STEPS)
                self.armed[connection.alias] = (raw, 0.0, 0.0)
            return
        if connection.vendor != "postgresql":
            return
        now = time.monotonic()
        if (
            armed is not None
            and armed[0] is raw
            and armed[2] == self.deadline
            and now - armed[1] < self.seconds * RENEW_SHARE
        ):
            return
        left_ms = max(1, int((self.deadline - now) * 1000))
        with connection.wrap_database_errors, raw.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {left_ms}")  # an int we computed
        self.armed[connection.alias] = (raw, now, self.deadline)

    def disarm(self) -> None:
        """Leave each connection as a command would find it: no handler, no timeout."""
        for alias, (raw, _, _) in self.armed.items():
            connection = connections[alias]
            if connection.connection is not raw:
                continue  # closed and reopened: the new one was never armed
            try:
                if connection.vendor == "sqlite":
                    raw.set_progress_handler(None, 0)
                else:
                    with raw.cursor() as cursor:
                        cursor.execute("RESET statement_timeout")
            except connection.Database.Error:
                # A failed transaction: rolling it back undoes the SET made inside it.
                logger.debug("Could not reset the time budget on %s", alias, exc_info=True)
        self.armed.clear()


def _is_cancellation(connection: Any, error: OperationalError) -> bool:
    cause = error.__cause__
    if connection.vendor == "postgresql":
        from psycopg import errors

        return isinstance(cause, errors.QueryCanceled)
    return "interrupted" in str(cause or error)


_current: ContextVar[_Budget | None] = ContextVar("dateline_db_budget", default=None)


@contextmanager
def request_budget(seconds: float) -> Iterator[None]:
    """Every query on every database inside the block must end within `seconds`."""
    budget = _Budget(seconds)
    token = _current.set(budget)
    try:
        with _wrapped(budget, [connections[alias] for alias in connections]):
            yield
    finally:
        _current.reset(token)
        budget.disarm()


@contextmanager
def _wrapped(budget: _Budget, pending: list) -> Iterator[None]:
    if not pending:
        yield
        return
    with pending[0].execute_wrapper(budget), _wrapped(budget, pending[1:]):
        yield


def stopped(error: BaseException) -> bool:
    """Whether `error` is this request's budget stopping a statement: DatabaseBudgetExceeded
    from the execute wrapper, or SQLite's interruption raised while rows are fetched (the
    progress handler also runs then, and fetching is past the wrapper's reach)."""
    if isinstance(error, DatabaseBudgetExceeded):
        return True
    budget = _current.get()
    if budget is None or not isinstance(error, OperationalError) or not budget.expired():
        return False
    return any(_is_cancellation(connections[alias], error) for alias in budget.armed)


def renew() -> None:
    """A fresh budget for what is left of this request: the page that says a query was
    stopped still needs its few small queries (the sidebar, the content version)."""
    budget = _current.get()
    if budget is not None:
        budget.deadline = time.monotonic() + budget.seconds


def stoppable() -> AbstractContextManager[object]:
    """A savepoint when already inside a transaction, so a stopped statement leaves that
    transaction usable (PostgreSQL would refuse every later statement otherwise). In
    autocommit nothing: SQLite's BEGIN IMMEDIATE would take the write lock for a read."""
    return transaction.atomic() if connections["default"].in_atomic_block else nullcontext()


class DatabaseBudgetMiddleware:
    """Give each request DATELINE_REQUEST_DB_BUDGET seconds of database time (0: none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.DATELINE_REQUEST_DB_BUDGET
        if seconds <= 0:
            return self.get_response(request)
        with request_budget(seconds):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not stopped(exception):
            return None
        logger.warning("Stopped %s %s: %s", request.method, request.path, exception)
        return HttpResponse(TOO_SLOW_PAGE, status=503, headers={"Retry-After": "30"})
