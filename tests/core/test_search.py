"""Every search rule, through the same query the list uses, on a real FTS5 index."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_desktop.core.candidate_list import ListQuery
from crm_desktop.core.candidates import CandidateInput
from crm_desktop.store.database import open_database
from crm_desktop.store.search import parse_search


@pytest.fixture
def people(services, clock) -> dict[str, int]:
    create = services.candidates.create
    ids = {
        "jurgen": create(
            CandidateInput(
                "Jürgen",
                "Müller",
                headline="Java Developer",
                location="Pune, India",
                skills="Java, Spring, Kafka",
                emails=("j.mueller@example.com",),
                phones=("+49 170 1234567",),
            )
        ),
        "priya": create(
            CandidateInput(
                "Priya",
                "Nair",
                headline="Python Engineer",
                location="Pune, India",
                skills="Python, AWS",
                phones=("(020) 7946-0958",),
            )
        ),
        "zoe": create(
            CandidateInput(
                "Zoë",
                "Okafor",
                headline="Senior Java Developer",
                location="Lagos",
                emails=("zoe@okafor.example.org",),
            )
        ),
    }
    services.timeline.add(ids["jurgen"], "call", "Mentioned his AWS certification")
    services.timeline.add(ids["zoe"], "note", "Wants a developer relations role")
    return ids


def _search(services, text: str, **filters) -> set[int]:
    return set(services.candidate_list.ids(ListQuery(text=text, **filters)))


def test_prefix_matches(services, people):
    assert _search(services, "pyth") == {people["priya"]}
    assert _search(services, "dev") == {people["jurgen"], people["zoe"]}


def test_accents_fold_both_ways(services, people):
    assert _search(services, "muller") == {people["jurgen"]}
    assert _search(services, "zoe") == {people["zoe"]}
    assert _search(services, "Zoë") == {people["zoe"]}


def test_several_words_narrow_across_profile_and_timeline(services, people):
    assert _search(services, "java") == {people["jurgen"], people["zoe"]}
    assert _search(services, "java pune") == {people["jurgen"]}
    assert _search(services, "java pune aws") == {people["jurgen"]}
    assert _search(services, "python aws lagos") == set()


def test_phone_digits_match_whatever_the_formatting(services, people):
    assert _search(services, "+49 170 1234567") == {people["jurgen"]}
    assert _search(services, "0170 1234567") == {people["jurgen"]}  # national format
    assert _search(services, "1234567") == {people["jurgen"]}  # the tail of it
    assert _search(services, "20 7946 0958") == {people["priya"]}
    assert _search(services, "7946-0958") == {people["priya"]}


def test_phone_numbers_match_by_their_start_national_number_or_end(services):
    create = services.candidates.create
    london = create(CandidateInput("Ada", "Lovelace", phones=("+44 (0)20 7946 0958",)))
    abroad = create(CandidateInput("Bo", "Chen", phones=("0049 30 901820",)))
    new_york = create(CandidateInput("Cy", "Young", phones=("+1 212 555 0101",)))
    assert _search(services, "+44 (0)20 79") == {london}  # the start, as written
    assert _search(services, "020 7946 09") == {london}  # national, with the trunk zero
    assert _search(services, "2079460958") == {london}  # national, digits only
    assert _search(services, "4409") == set()  # too short for a suffix, not a start
    assert _search(services, "6-0958") == {london}  # the end: 4 digits or more
    assert _search(services, "030 901820") == {abroad}  # 00 is an international prefix too
    assert _search(services, "(212) 555-01") == {new_york}  # a one-digit country code
    assert _search(services, "555-0101") == {new_york}


def test_a_digit_run_from_the_middle_matches_only_as_a_written_word(services):
    """The v8 narrowing: neither a start nor a suffix, so ``79460`` finds nothing, while
    ``7946`` still finds the number through the words it is written with."""
    london = services.candidates.create(CandidateInput("Ada", "L", phones=("+44 20 7946 0958",)))
    assert _search(services, "79460") == set()
    assert _search(services, "7946") == {london}


def test_emails_match(services, people):
    assert _search(services, "j.mueller@example.com") == {people["jurgen"]}
    assert _search(services, "okafor.example") == {people["zoe"]}


def test_exact_phrase(services, people):
    assert _search(services, '"java developer"') == {people["jurgen"], people["zoe"]}
    assert _search(services, '"senior java"') == {people["zoe"]}
    assert _search(services, '"developer java"') == set()


def test_exclusion(services, people):
    assert _search(services, "java -senior") == {people["jurgen"]}
    assert _search(services, "-java") == {people["priya"]}
    assert _search(services, 'pune -"python engineer"') == {people["jurgen"]}


def test_index_follows_every_write(services, people):
    services.timeline.add(people["priya"], "email", "Sent the Kubernetes role")
    assert _search(services, "kubernetes") == {people["priya"]}
    entry = services.timeline.entries(people["priya"])[0]
    services.timeline.delete(entry.id)
    assert _search(services, "kubernetes") == set()
    services.candidates.update(people["zoe"], CandidateInput("Zoe", "Adeyemi"))
    assert _search(services, "okafor") == set()
    assert _search(services, "adeyemi") == {people["zoe"]}
    services.candidates.trash([people["zoe"]])
    assert _search(services, "adeyemi") == set()


def test_index_stays_consistent_after_deletes(services, people, profile):
    db = profile.database
    db.execute_sql("DELETE FROM candidate WHERE id = ?", (people["jurgen"],))
    db.execute_sql("INSERT INTO candidate_fts(candidate_fts, rank) VALUES ('integrity-check', 1)")
    assert _search(services, "muller") == set()


@pytest.mark.parametrize(
    "text", ['"', "-", "AND", "OR NOT", "*", "a:b", "(x", "NEAR(a b)", "'; DROP TABLE x", "\\"]
)
def test_query_syntax_never_errors(services, people, text):
    services.candidate_list.ids(ListQuery(text=text))


def test_filters_combine_with_search(services, people, clock):
    assert _search(services, "pune", status="active") == {people["jurgen"], people["priya"]}
    services.candidates.update(
        people["priya"], CandidateInput("Priya", "Nair", location="Pune, India", status="passive")
    )
    assert _search(services, "pune", status="passive") == {people["priya"]}
    assert _search(services, "", location="Lagos") == {people["zoe"]}
    # Going cold: no outbound contact for 30 days (or never).
    assert _search(services, "", cold_days=30) == {people["priya"], people["zoe"]}
    soon, later = clock.now() + timedelta(hours=2), clock.now() + timedelta(days=3)
    services.reminders.create("Call", soon, candidate_id=people["zoe"])
    services.reminders.create("Later", later, candidate_id=people["priya"])
    assert _search(services, "", has_due=True) == {people["zoe"]}


def test_search_survives_reopening(paths, clock, people, profile):
    profile.close()
    db = open_database(paths.db_file, paths.backups_dir, clock)
    try:
        rows = db.execute_sql(
            "SELECT rowid FROM candidate_fts WHERE candidate_fts MATCH ?",
            (parse_search("kafka").match_expression(),),
        ).fetchall()
        assert rows == [(people["jurgen"],)]
    finally:
        db.close()


def test_stage_job_tag_and_source_filters(services, people):
    from crm_desktop.core.jobs import JobInput

    job = services.jobs.create_job(JobInput("Data Engineer"))
    other = services.jobs.create_job(JobInput("Nurse"))
    app = services.pipeline.attach(people["priya"], job)
    services.pipeline.move(app, "interviewing")
    services.pipeline.attach(people["zoe"], other)
    assert _search(services, "", stage="interviewing") == {people["priya"]}
    assert _search(services, "", job_id=other) == {people["zoe"]}
    assert _search(services, "pune", job_id=job) == {people["priya"]}
    pool = services.tags.create("Java Pune")
    services.tags.add([people["jurgen"]], pool)
    assert _search(services, "", tag_id=pool) == {people["jurgen"]}
    assert _search(services, "java", tag_id=pool) == {people["jurgen"]}
