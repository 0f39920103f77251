"""The insights library: tagged, searchable (FTS5, kept in sync by triggers), validated."""

from __future__ import annotations

import pytest

from crm_desktop.core.insights import InsightInput, split_tags
from crm_desktop.core.validation import ValidationError


@pytest.fixture
def library(services):
    add = services.insights.create
    return {
        "aws": add(
            InsightInput(
                "AWS Solutions Architect – Associate",
                "Worth it for cloud engineers; about 8 weeks of preparation.",
                "Certification",
                ("AWS", "cloud"),
            )
        ),
        "salary": add(
            InsightInput(
                "Gehaltsverhandlung",
                "Nennen Sie eine Spanne, deren Untergrenze Sie zufriedenstellt.",
                "Salary",
                ("negotiation",),
            )
        ),
        "interview": add(
            InsightInput("STAR answers", "Situation, task, action, result.", "Interviewing")
        ),
    }


def _titles(records):
    return [r.data.title for r in records]


def test_search_by_prefix_across_title_body_topic_and_tags(services, library):
    assert _titles(services.insights.search("archit")) == ["AWS Solutions Architect – Associate"]
    assert _titles(services.insights.search("certif")) == ["AWS Solutions Architect – Associate"]
    assert _titles(services.insights.search("cloud prep")) == [
        "AWS Solutions Architect – Associate"
    ]
    assert _titles(services.insights.search("gehalt")) == ["Gehaltsverhandlung"]
    assert _titles(services.insights.search("zufriedenstellt")) == ["Gehaltsverhandlung"]
    assert len(services.insights.search("")) == 3
    assert _titles(services.insights.search("-aws -gehalt")) == ["STAR answers"]
    assert services.insights.search('"; DROP TABLE insight; --') == []


def test_accents_fold_both_ways(services):
    services.insights.create(InsightInput("Zürich market", "Café culture matters."))
    assert _titles(services.insights.search("zurich")) == ["Zürich market"]
    assert _titles(services.insights.search("cafe")) == ["Zürich market"]


def test_edits_and_deletes_keep_the_index_in_sync(services, library):
    services.insights.update(library["interview"], InsightInput("Behavioural questions", "STAR"))
    assert services.insights.search("answers") == []
    assert _titles(services.insights.search("behav")) == ["Behavioural questions"]
    services.insights.delete(library["interview"])
    assert services.insights.search("behav") == []
    services.database.execute_sql(
        "INSERT INTO insight_fts(insight_fts, rank) VALUES ('integrity-check', 1)"
    )


def test_tags_are_cleaned_and_filter_results(services, library):
    assert split_tags(" AWS, cloud ;aws ,,  big   data ") == ("AWS", "cloud", "big data")
    record = services.insights.get(library["aws"])
    assert record.data.tags == ("AWS", "cloud")
    assert _titles(services.insights.search("", tag="aws")) == [
        "AWS Solutions Architect – Associate"
    ]
    assert services.insights.all_tags() == ["AWS", "cloud", "negotiation"]


def test_message_text_leads_with_the_title(services, library):
    record = services.insights.get(library["aws"])
    assert record.message_text == (
        "AWS Solutions Architect – Associate\n"
        "Worth it for cloud engineers; about 8 weeks of preparation."
    )


def test_invalid_insights_are_refused(services):
    with pytest.raises(ValidationError) as error:
        services.insights.create(InsightInput("  ", tags=tuple(f"t{i}" for i in range(30))))
    assert set(error.value.errors) == {"title", "tags"}
    assert services.insights.search("") == []
