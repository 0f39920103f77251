"""Tags (talent pools) over a real SQLite file: validation, merge, bulk tagging, counts, events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.events import Change
from crm_desktop.core.tags import TagInfo, TagService
from crm_desktop.core.validation import ValidationError
from crm_desktop.store.models import Candidate, CandidateTag, Tag


@pytest.fixture
def tags(services, clock) -> TagService:
    return TagService(clock, services.hub, services.database)


@pytest.fixture
def changes(services) -> list[Change]:
    seen: list[Change] = []
    services.hub.subscribe(seen.append)
    return seen


def _candidates(services, count: int) -> list[int]:
    with services.database.atomic():
        return [services.candidates.create(CandidateInput(f"C{i:05d}")) for i in range(count)]


@contextmanager
def _selects(services) -> Iterator[list[str]]:
    """Record the SELECT statements SQLite runs (to prove a read is one query, not N+1)."""
    seen: list[str] = []
    connection = services.database.connection()
    connection.set_trace_callback(
        lambda sql: seen.append(sql) if sql.lstrip().upper().startswith("SELECT") else None
    )
    try:
        yield seen
    finally:
        connection.set_trace_callback(None)


def test_create_cleans_the_name_and_lists_it(tags, changes):
    tag_id = tags.create("  Java \n Pune ", "#1E88E5")
    assert tags.all() == [TagInfo(tag_id, "Java Pune", "#1e88e5", 0)]
    assert Change("tag", "created", (tag_id,), ()) in changes
    assert tags.all()[0].colour == "#1e88e5"
    default = tags.create("Alumni 2025")
    assert tags.get(default).colour == "#607d8b"


@pytest.mark.parametrize("existing", ["Java Pune", "zoë"])
def test_duplicate_names_are_rejected_whatever_the_case(tags, existing):
    tags.create(existing)
    with pytest.raises(ValidationError) as error:
        tags.create(f"  {existing.upper()} ")
    assert f"“{existing}” already exists" in error.value.errors["name"]
    assert Tag.select().count() == 1


@pytest.mark.parametrize(
    ("name", "colour", "field", "message"),
    [
        ("   ", "#607d8b", "name", "needs a name"),
        ("x" * 61, "#607d8b", "name", "at most 60 characters"),
        ("Java", "blue", "colour", "“blue” is not a colour"),
        ("Java", "#12345", "colour", "“#12345” is not a colour"),
    ],
)
def test_bad_names_and_colours_name_the_problem(tags, name, colour, field, message):
    with pytest.raises(ValidationError) as error:
        tags.create(name, colour)
    assert message in error.value.errors[field]
    assert Tag.select().count() == 0


def test_sixty_characters_is_enough(tags):
    tag_id = tags.create("é" * 60)
    assert tags.get(tag_id).name == "é" * 60


def test_rename_and_recolour(tags, services, changes):
    java = tags.create("Java")
    python = tags.create("Python")
    [cid] = _candidates(services, 1)
    tags.add([cid], java)
    changes.clear()

    tags.rename(java, "Java Pune")
    tags.rename(java, "JAVA PUNE")  # its own name in another case is fine
    assert tags.get(java).name == "JAVA PUNE"
    assert changes[-1] == Change("tag", "updated", (java,), (cid,))
    with pytest.raises(ValidationError) as error:
        tags.rename(java, "python")
    assert "“Python” already exists" in error.value.errors["name"]
    assert tags.get(java).name == "JAVA PUNE"

    tags.recolour(python, "#E53935")
    assert tags.get(python).colour == "#e53935"
    with pytest.raises(ValidationError):
        tags.recolour(python, "red")
    with pytest.raises(KeyError):
        tags.rename(9999, "Ghost")


def test_merge_keeps_every_candidate_once(tags, services, changes):
    target = tags.create("Java Pune")
    first = tags.create("java-pune")
    second = tags.create("Pune Java")
    other = tags.create("Alumni")
    a, b, c, d, e = _candidates(services, 5)
    tags.add([a, b, e], first)
    tags.add([c, e], second)
    tags.add([b, c, d], target)
    tags.add([a], other)
    changes.clear()

    tags.merge([first, second, target], target)  # the target among the sources is ignored

    assert [t.name for t in tags.all()] == ["Alumni", "Java Pune"]
    holders = CandidateTag.select(CandidateTag.candidate).where(CandidateTag.tag == target)
    assert sorted(row.candidate_id for row in holders) == [a, b, c, d, e]
    assert CandidateTag.select().where(CandidateTag.tag == target).count() == 5
    assert [t.name for t in tags.tags_of(a)] == ["Alumni", "Java Pune"]
    assert changes == [Change("tag", "merged", (target, first, second), (a, b, c, e))]


def test_merge_is_all_or_nothing(tags, services):
    target = tags.create("Java")
    source = tags.create("Java dev")
    [cid] = _candidates(services, 1)
    tags.add([cid], source)
    with pytest.raises(KeyError):
        tags.merge([source, 9999], target)
    assert Tag.select().count() == 2
    assert [t.id for t in tags.tags_of(cid)] == [source]
    with pytest.raises(ValidationError):
        tags.merge([target], target)


def test_delete_removes_the_links_not_the_candidates(tags, services, changes):
    doomed = tags.create("Doomed")
    kept = tags.create("Kept")
    a, b = _candidates(services, 2)
    tags.add([a, b], doomed)
    tags.add([a], kept)
    changes.clear()

    tags.delete(doomed)

    assert services.candidate_list.count() == 2
    assert tags.tags_for([a, b]) == {a: [TagInfo(kept, "Kept", "#607d8b")], b: []}
    assert CandidateTag.select().count() == 1
    assert changes == [Change("tag", "deleted", (doomed,), (a, b))]


def test_bulk_add_and_remove_over_many_candidates(tags, services, changes):
    ids = _candidates(services, 1200)
    pool = tags.create("Big pool")
    changes.clear()

    tags.add(ids, pool)
    tags.add(ids[:600], pool)  # idempotent: no duplicate pair, no error
    assert tags.get(pool).count == 1200
    assert CandidateTag.select().count() == 1200
    assert Change("candidate", "updated", tuple(ids), tuple(ids)) in changes
    assert Change("tag", "linked", (pool,), tuple(ids)) in changes

    tags.remove(ids[:700], pool)
    tags.remove(ids[:700], pool)
    assert tags.get(pool).count == 500
    remaining = CandidateTag.select(CandidateTag.candidate).where(CandidateTag.tag == pool)
    assert sorted(row.candidate_id for row in remaining) == ids[700:]
    assert changes[-1] == Change("candidate", "updated", tuple(ids[:700]), tuple(ids[:700]))
    assert services.candidate_list.ids(ListQuery(tag_id=pool)) == ids[700:]


def test_unknown_candidates_are_skipped_and_unknown_tags_refused(tags, services):
    [cid] = _candidates(services, 1)
    pool = tags.create("Pool")
    tags.add([cid, 424242], pool)
    assert [t.id for t in tags.tags_of(cid)] == [pool]
    with pytest.raises(KeyError):
        tags.add([cid], 9999)
    tags.add([], pool)  # nothing to do, nothing announced


def test_counts_exclude_trashed_candidates(tags, services):
    pool = tags.create("Pool")
    empty = tags.create("Empty")
    a, b, c = _candidates(services, 3)
    tags.add([a, b, c], pool)
    services.candidates.trash([b])
    assert tags.all() == [
        TagInfo(empty, "Empty", "#607d8b", 0),
        TagInfo(pool, "Pool", "#607d8b", 2),
    ]
    services.candidates.restore([b])
    assert tags.get(pool).count == 3


def test_all_and_tags_for_are_one_query(tags, services):
    ids = _candidates(services, 200)
    pools = [tags.create(name) for name in ("Zeta", "alpha", "Mid")]
    for index, pool in enumerate(pools):
        tags.add(ids[index::2], pool)

    with _selects(services) as selects:
        listed = tags.all()
    assert len(selects) == 1
    assert [t.name for t in listed] == ["alpha", "Mid", "Zeta"]  # case-blind order

    with _selects(services) as selects:
        shown = tags.tags_for(ids)
    assert len(selects) == 1
    assert set(shown) == set(ids)
    assert [t.name for t in shown[ids[0]]] == ["Zeta"]
    assert [t.name for t in shown[ids[1]]] == ["alpha"]
    assert [t.name for t in shown[ids[2]]] == ["Mid", "Zeta"]
    assert tags.tags_for([]) == {}


def test_set_tags_makes_exactly_these_the_tags(tags, services, changes):
    [cid] = _candidates(services, 1)
    java, python, go = (tags.create(name) for name in ("Java", "Python", "Go"))
    tags.set_tags(cid, [java, python])
    assert [t.name for t in tags.tags_of(cid)] == ["Java", "Python"]
    changes.clear()

    tags.set_tags(cid, [python, go])
    assert [t.name for t in tags.tags_of(cid)] == ["Go", "Python"]
    assert changes == [
        Change("tag", "linked", tuple(sorted((java, go))), (cid,)),
        Change("candidate", "updated", (cid,), (cid,)),
    ]
    changes.clear()
    tags.set_tags(cid, [go, python])  # no change, no announcement
    assert changes == []
    with pytest.raises(KeyError):
        tags.set_tags(cid, [9999])
    assert [t.name for t in tags.tags_of(cid)] == ["Go", "Python"]
    with pytest.raises(KeyError):
        tags.set_tags(424242, [go])


def test_deleting_a_candidate_row_cascades_to_its_links(tags, services):
    [cid] = _candidates(services, 1)
    pool = tags.create("Pool")
    tags.add([cid], pool)
    Candidate.delete().where(Candidate.id == cid).execute()  # GDPR erase path, later
    assert tags.get(pool).count == 0
    assert CandidateTag.select().count() == 0
