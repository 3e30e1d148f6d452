"""A lock per key, held until the surrounding transaction ends: check-then-write as one step.

A limit that counts rows and then inserts one is only a limit when no other request can
count between the two. `hold_key_lock(key)` is called first thing inside
`transaction.atomic()`; every transaction that holds the same key runs its check and its
write after the previous one has committed, on both databases we run on:

- PostgreSQL: `pg_advisory_xact_lock` on a 64-bit hash of the key. Requests for other
  keys go on in parallel, no table is needed, and the lock goes with the transaction
  (commit, rollback or a dropped connection). Under READ COMMITTED each later statement
  sees what the previous holder committed.
- SQLite: a database has one writer at a time, so the write lock is the key lock.
  Our settings open every transaction with BEGIN IMMEDIATE, which takes it at once;
  under a DEFERRED transaction a write that changes nothing takes it here. Either way
  the transaction's first read comes after the lock, so it sees every earlier commit.
"""

import hashlib

from django.db import connections

_NAMESPACE = b"dateline.keylock:"


def lock_id(key: str) -> int:
    """The signed 64-bit number PostgreSQL's advisory locks are keyed by."""
    digest = hashlib.blake2b(_NAMESPACE + key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def hold_key_lock(key: str, using: str = "default") -> None:
    """Block until this transaction holds `key`'s lock; it is released when it ends."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("hold_key_lock() needs a transaction: call it inside atomic().")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id(key)])
        elif connection.vendor == "sqlite":
            if getattr(connection, "transaction_mode", None) not in {"IMMEDIATE", "EXCLUSIVE"}:
                # Any write statement takes the database's write lock, even one that
                # matches no row; it is held until the transaction ends.
                cursor.execute("UPDATE django_migrations SET id = id WHERE 0")
        else:
            raise NotImplementedError(f"No key lock for the {connection.vendor} database.")
