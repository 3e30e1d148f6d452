"""hold_key_lock: the lock a check-then-write step holds until its transaction ends."""

import sqlite3

import pytest
from django.db import connection, transaction

from dateline.core.keylock import hold_key_lock, lock_id


def test_a_key_lock_needs_a_transaction(transactional_db):
    with pytest.raises(RuntimeError, match="inside atomic"):
        hold_key_lock("comments.rate:x")


def test_lock_ids_are_signed_64_bit_and_differ_by_key():
    ids = {lock_id(f"comments.rate:{n}") for n in range(1000)}
    assert len(ids) == 1000
    assert all(-(2**63) <= i < 2**63 for i in ids)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
@pytest.mark.django_db(transaction=True)
def test_under_a_deferred_sqlite_transaction_the_key_lock_takes_the_write_lock():
    """Our settings BEGIN IMMEDIATE; a site configured otherwise must still be serialized."""
    connection.ensure_connection()
    configured = connection.transaction_mode
    connection.transaction_mode = None  # Django then sends a plain (DEFERRED) BEGIN
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        with transaction.atomic():
            connection.cursor().execute("SELECT 1")
            other.execute("BEGIN IMMEDIATE")  # nobody holds the write lock yet
            other.execute("ROLLBACK")
            hold_key_lock("comments.rate:x")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()
        connection.transaction_mode = configured
