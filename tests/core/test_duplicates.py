"""Likely duplicates: by e-mail (any case), phone (any format), name (accents, swapped order)."""

from __future__ import annotations

import pytest

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.duplicates import MAX_SHARED, DuplicateFinder, name_key, normalise_name
from crm_desktop.store.models import Candidate


@pytest.fixture
def finder(services) -> DuplicateFinder:
    return DuplicateFinder(services.database)


def _create(services, first: str, last: str = "", **kwargs) -> int:
    return services.candidates.create(CandidateInput(first, last, **kwargs))


def test_names_are_normalised_for_comparison():
    assert normalise_name("  José-Luis   MÜLLER ") == "jose luis muller"
    assert name_key("Silva", "Ana") == name_key("ana", "SILVA") == "ana silva"
    assert name_key("Ana", "") is None  # a single word is not evidence


@pytest.mark.parametrize("typed", ["ana.silva@example.com", "ANA.Silva@Example.COM"])
def test_same_email_in_any_case_is_found(services, finder, typed):
    existing = _create(services, "Ana", "Silva", emails=("Ana.Silva@example.com",))
    matches = finder.for_input(CandidateInput("Someone", "Else", emails=(typed,)))
    assert [m.candidate_id for m in matches] == [existing]
    assert matches[0].reasons == ("same e-mail Ana.Silva@example.com",)
    assert matches[0].name == "Ana Silva"


@pytest.mark.parametrize(
    "typed", ["0170 1234567", "+49 (170) 123-45-67", "0049 170 1234567", "491701234567"]
)
def test_same_phone_in_any_format_is_found(services, finder, typed):
    existing = _create(services, "Ana", "Silva", phones=("+49 170 1234567",))
    matches = finder.for_input(CandidateInput("Other", "Person", phones=(typed,)))
    assert [m.candidate_id for m in matches] == [existing]
    assert matches[0].reasons == ("same phone +49 170 1234567",)


def test_short_phone_numbers_must_match_in_full(services, finder):
    existing = _create(services, "Ana", "Silva", phones=("555-0101",))
    assert [
        m.candidate_id for m in finder.for_input(CandidateInput("X Y", phones=("5550101",)))
    ] == [existing]
    assert finder.for_input(CandidateInput("X Y", phones=("+1 212 555 0101",))) == []


@pytest.mark.parametrize(
    ("first", "last", "reason"),
    [
        ("jose", "muller", "same name"),
        ("JOSÉ", "MÜLLER", "same name"),
        ("  José ", " Müller  ", "same name"),
        ("Müller", "José", "same name (first and last swapped)"),
        ("muller", "jose", "same name (first and last swapped)"),
    ],
)
def test_same_name_ignoring_accents_case_and_order(services, finder, first, last, reason):
    existing = _create(services, "José", "Müller")
    matches = finder.for_input(CandidateInput(first, last))
    assert [(m.candidate_id, m.reasons) for m in matches] == [(existing, (reason,))]


def test_names_folded_beyond_accents_still_match(services, finder):
    # NFKD + casefold turn "ß" into "ss"; the search index does not, so the typed spelling is
    # searched as well. (A stored "Straße" typed as "Strasse" is left to the full scan.)
    existing = _create(services, "Hans", "Strasse")
    matches = finder.for_input(CandidateInput("Hans", "Straße"))
    assert [m.candidate_id for m in matches] == [existing]
    stored_sharp_s = _create(services, "Jörg", "Weiß")
    twin = _create(services, "Jorg", "Weiss")
    assert [g.candidate_ids for g in finder.scan()] == [(stored_sharp_s, twin)]


def test_different_people_are_not_reported(services, finder):
    _create(
        services,
        "Ana",
        "Silva",
        emails=("ana.silva@example.com",),
        phones=("+49 170 1234567",),
    )
    _create(services, "Ana")  # a first name alone
    lookalikes = [
        CandidateInput("Ana", "Silveira"),
        CandidateInput("Ana", "Maria Silva"),
        CandidateInput("Ana"),
        CandidateInput("Bo", "Chen", emails=("ana.silva@example.org",)),
        CandidateInput("Bo", "Chen", emails=("silva.ana@example.com",)),
        CandidateInput("Bo", "Chen", phones=("+49 170 1234568",)),
        CandidateInput("Bo", "Chen", phones=("+49 171 1234567",)),
    ]
    for data in lookalikes:
        assert finder.for_input(data) == [], data


def test_trashed_and_excluded_candidates_are_ignored(services, finder):
    trashed = _create(services, "Ana", "Silva", emails=("ana@example.com",))
    services.candidates.trash([trashed])
    assert finder.for_input(CandidateInput("Ana", "Silva", emails=("ana@example.com",))) == []

    itself = _create(services, "Bo", "Chen", emails=("bo@example.com",))
    data = services.candidates.get(itself).data
    assert finder.for_input(data, exclude_id=itself) == []
    assert [m.candidate_id for m in finder.for_input(data)] == [itself]


def test_stronger_evidence_ranks_first(services, finder):
    name_only = _create(services, "Ana", "Silva")
    everything = _create(
        services, "Ana", "Silva", emails=("ana@example.com",), phones=("0170 1234567",)
    )
    phone_only = _create(services, "A.", "S.", phones=("+49 170 1234567",))
    matches = finder.for_input(
        CandidateInput("Ana", "Silva", emails=("ana@example.com",), phones=("+491701234567",))
    )
    assert [m.candidate_id for m in matches] == [everything, phone_only, name_only]
    assert matches[0].reasons == (
        "same e-mail ana@example.com",
        "same phone 0170 1234567",
        "same name",
    )
    assert matches[0].score > matches[1].score > matches[2].score


def test_scan_groups_candidates_linked_by_any_signal(services, finder):
    a = _create(services, "Ana", "Silva", emails=("ana@example.com",))
    b = _create(
        services, "Ana", "Silva-Costa", emails=("ANA@example.com",), phones=("0170 555 1234",)
    )
    c = _create(services, "A.", "Costa", phones=("+49 170 5551234",))
    d = _create(services, "José", "Müller")
    e = _create(services, "muller", "jose")
    _create(services, "Bo", "Chen", emails=("bo@example.com",))
    trashed = _create(services, "Zed", "Zed", emails=("ana@example.com",))
    services.candidates.trash([trashed])

    groups = finder.scan()

    assert [g.candidate_ids for g in groups] == [(a, b, c), (d, e)]
    strong, by_name = groups
    assert strong.names == ("Ana Silva", "Ana Silva-Costa", "A. Costa")
    assert set(strong.reasons) == {"same e-mail ana@example.com", "same phone +49 170 5551234"}
    assert by_name.reasons == ("same name",)
    assert strong.score > by_name.score


def test_values_shared_too_widely_are_not_evidence(services, finder):
    with services.database.atomic():
        smiths = [_create(services, "John", "Smith") for _ in range(MAX_SHARED + 1)]
        switchboard = [
            _create(services, f"Caller{i}", "Acme", phones=("+44 20 7946 0000",))
            for i in range(MAX_SHARED + 1)
        ]
        pair = [_create(services, "Rare", "Name"), _create(services, "Name", "Rare")]
        twins = [
            _create(services, "Twin", f"Number{i}", phones=("+44 20 7946 0999",)) for i in range(2)
        ]
    assert [g.candidate_ids for g in finder.scan()] == [tuple(twins), tuple(pair)]

    # Creating one more John Smith: the name alone is not worth a question...
    assert finder.for_input(CandidateInput("John", "Smith")) == []
    # ...but beside a shared phone it is reported; the shared phone always is.
    Candidate.update(first_name="John", last_name="Smith").where(
        Candidate.id == switchboard[0]
    ).execute()
    matches = finder.for_input(CandidateInput("John", "Smith", phones=("020 7946 0000",)))
    assert len(matches) == len(switchboard)
    assert matches[0].candidate_id == switchboard[0]
    assert matches[0].reasons == ("same phone +44 20 7946 0000", "same name")
    assert smiths[0] not in {m.candidate_id for m in matches}


def test_scan_of_an_empty_base_finds_nothing(finder):
    assert finder.scan() == []
