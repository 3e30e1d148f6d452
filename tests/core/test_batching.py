"""Long id lists reach the database in pieces SQLite accepts, whole and in order."""

import pytest
from django.db import connection

from dateline.core.batching import QUERY_PARAMETERS, in_batches
from dateline.interchange.bulk import ids_by
from dateline.posts.labels import label_key
from dateline.posts.models import Label


def test_batches_cover_every_item_once_in_order_within_the_size():
    items = list(range(2 * QUERY_PARAMETERS + 7))
    pieces = list(in_batches(items))
    assert [len(piece) for piece in pieces] == [QUERY_PARAMETERS, QUERY_PARAMETERS, 7]
    assert [item for piece in pieces for item in piece] == items
    assert all(isinstance(piece, list) for piece in pieces)
    assert list(in_batches((1, 2, 3), 2)) == [(1, 2), (3,)]
    assert list(in_batches([])) == []


def test_a_size_below_one_is_refused_with_its_value():
    with pytest.raises(ValueError, match="at least 1, not 0"):
        list(in_batches([1], 0))


@pytest.mark.django_db
def test_a_lookup_of_more_values_than_one_statement_may_name_finds_them_all():
    names = [f"label-{n:05d}" for n in range(QUERY_PARAMETERS * 2 + 50)]
    Label.objects.bulk_create([Label(name=name, key=label_key(name)) for name in names])
    found = ids_by(Label, "name", names)
    assert sorted(found) == names
    assert len(set(found.values())) == len(names)
    if connection.vendor == "sqlite":  # the limit the batches keep under
        assert len(names) > 999
