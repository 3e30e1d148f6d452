"""A web request's database work ends at its time budget; commands have none.

Every slow query here is real work on the real database that would run for minutes
unless stopped; nothing asserts how long anything took.
"""

import time

import pytest
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

from dateline.core import dbbudget
from tests.pages import visible_lines

pytestmark = pytest.mark.django_db

# Counts to ten billion: minutes of work on either database unless it is stopped.
ENDLESS = (
    "WITH RECURSIVE c(x) AS (SELECT CAST(1 AS BIGINT) UNION ALL "
    "SELECT x + 1 FROM c WHERE x < 10000000000) SELECT count(*) FROM c"
)
# Counts to a hundred thousand: far more SQLite steps than a progress-handler interval.
SHORT = ENDLESS.replace("10000000000", "100000")
# Its first row at once, the next after a billion steps: SQLite returns from execute with
# the first and runs the rest while rows are fetched.
SLOW_ROWS = ENDLESS.replace("SELECT count(*) FROM c", "SELECT x FROM c WHERE x % 1000000000 = 1")


def run(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def endless_view(request: HttpRequest) -> HttpResponse:
    run(ENDLESS)
    return HttpResponse("finished")  # pragma: no cover - never reached


def slow_rows_view(request: HttpRequest) -> HttpResponse:
    run(SLOW_ROWS)
    return HttpResponse("finished")  # pragma: no cover - never reached


def quick_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(run("SELECT 1")))


urlpatterns = [
    path("endless", endless_view),
    path("slow-rows", slow_rows_view),
    path("quick", quick_view),
]


def test_a_statement_running_past_the_budget_is_stopped():
    stopped = pytest.raises(dbbudget.DatabaseBudgetExceeded)
    with stopped, dbbudget.request_budget(0.3), dbbudget.stoppable():
        run(ENDLESS)


def test_no_statement_starts_after_the_deadline():
    with dbbudget.request_budget(0.05):
        time.sleep(0.06)
        with pytest.raises(dbbudget.DatabaseBudgetExceeded):
            run("SELECT 1")


@pytest.mark.urls(__name__)
@override_settings(DATELINE_REQUEST_DB_BUDGET=0.5)
@pytest.mark.parametrize("page", ["/endless", "/slow-rows"])  # stopped running, or fetching
def test_any_page_whose_query_runs_too_long_is_a_plain_503(client, page):
    response = client.get(page)
    assert response.status_code == 503
    assert "This page took too long" in visible_lines(response.content)
    assert response["Retry-After"] == "30"


def test_a_statement_stopped_while_its_rows_are_fetched_is_known_as_stopped():
    with dbbudget.request_budget(0.3):
        with pytest.raises(OperationalError) as caught, dbbudget.stoppable():
            run(SLOW_ROWS)
        assert dbbudget.stopped(caught.value)
    assert not dbbudget.stopped(OperationalError("interrupted"))  # no budget: not ours


@pytest.mark.urls(__name__)
@override_settings(DATELINE_REQUEST_DB_BUDGET=0.5)
def test_after_a_request_and_outside_one_queries_have_no_budget(client):
    """The budget lives in the request: the connection it used carries nothing after it
    (no progress handler, the server's own statement_timeout), and commands have none."""
    before = run("SHOW statement_timeout") if connection.vendor == "postgresql" else None
    assert client.get("/quick").status_code == 200
    time.sleep(0.55)  # the request's deadline is now in the past
    assert run(SHORT) == [(100000,)]
    if before is not None:
        assert run("SHOW statement_timeout") == before


@override_settings(DATELINE_REQUEST_DB_BUDGET=0)
def test_a_budget_of_zero_turns_it_off(client):
    assert client.get("/").status_code == 200
