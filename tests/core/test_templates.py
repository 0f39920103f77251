"""Templates: placeholders checked at save, shipped defaults seeded once, choice by language."""

from __future__ import annotations

import pytest

from crm_desktop.core.templates import (
    PLACEHOLDERS,
    PURPOSE_FOR_STAGE,
    PURPOSE_FOR_TODAY_KIND,
    PURPOSES,
    TemplateInput,
    TemplateSyntaxError,
    default_templates,
    placeholders_in,
    render,
)
from crm_desktop.core.validation import ValidationError
from crm_desktop.store.models import STAGES, Template


def test_unknown_placeholders_are_rejected_at_save_naming_each_one(services):
    services.templates.ensure_defaults()
    before = Template.select().count()
    data = TemplateInput(
        "Nudge",
        subject="Hello {frist_name}",
        body="Dear {first_name}, about {salary} and {job_tittle} at {company}.",
    )
    with pytest.raises(ValidationError) as error:
        services.templates.create(data)
    assert error.value.errors["subject"] == (
        "Unknown placeholder {frist_name} (did you mean {first_name}?)"
    )
    body = error.value.errors["body"]
    assert body.startswith("Unknown placeholders {salary}, {job_tittle}")
    assert "did you mean {job_title}?" in body
    assert "{company}" not in body  # known names are not reported
    assert Template.select().count() == before


def test_an_edit_that_adds_an_unknown_placeholder_is_not_saved(services):
    template_id = services.templates.create(TemplateInput("Mine", body="Hi {first_name}"))
    with pytest.raises(ValidationError) as error:
        services.templates.update(template_id, TemplateInput("Mine", body="Hi {nickname}"))
    assert "{nickname}" in error.value.errors["body"]
    assert services.templates.get(template_id).data.body == "Hi {first_name}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi {first_name", "Unbalanced braces"),
        ("Hi first_name}", "Unbalanced braces"),
        ("Hi {}", "Empty placeholder"),
        ("Hi {first_name:>10}", "{first_name:>10} is not one"),
        ("Hi {first_name!r}", "{first_name!r} is not one"),
        ("Hi {first_name.__class__}", "{first_name.__class__} is not one"),
        ("Hi {0}", "{0} is not one"),
    ],
)
def test_malformed_placeholders_are_explained(services, text, expected):
    with pytest.raises(ValidationError) as error:
        services.templates.create(TemplateInput("Broken", body=text))
    assert expected in error.value.errors["body"]
    with pytest.raises(TemplateSyntaxError):
        placeholders_in(text)


def test_doubled_braces_are_literal_and_allowed(services):
    template_id = services.templates.create(
        TemplateInput("Braces", body="Use {{first_name}} to greet {first_name}")
    )
    body = services.templates.get(template_id).data.body
    assert render(body, {"first_name": "Ada"}).text == "Use {first_name} to greet Ada"


def test_render_leaves_missing_values_visible_and_lists_them():
    rendered = render("{first_name} at {company}, {company}!", {"first_name": "Ada"})
    assert rendered.text == "Ada at {company}, {company}!"
    assert rendered.missing == ("company",)
    assert render("Hi {first_name", {}).text == "Hi {first_name"  # never raises


def test_template_names_are_unique_ignoring_case(services):
    services.templates.create(TemplateInput("Warm intro", body="Hi"))
    with pytest.raises(ValidationError) as error:
        services.templates.create(TemplateInput("  warm   INTRO ", body="Hi"))
    assert "already exists" in error.value.errors["name"]


# --- shipped defaults ----------------------------------------------------------------------------


def test_every_shipped_default_is_a_valid_template(services):
    defaults = default_templates()
    for key, template in defaults.items():
        services.templates.validate(template, template_id=-1)  # raises on any problem
        assert template.purpose in PURPOSES, key
    purposes = {(t.purpose, t.language) for t in defaults.values()}
    wanted = set(PURPOSES) - {""}
    assert {p for p, lang in purposes if lang == "en"} == wanted
    assert {p for p, lang in purposes if lang == "de"} == wanted
    used = {name for t in defaults.values() for name in placeholders_in(t.subject + t.body)}
    assert {"first_name", "job_title", "company", "joining_date", "years_text"} <= used
    assert used <= set(PLACEHOLDERS)


def test_stage_and_today_purposes_exist():
    assert set(PURPOSE_FOR_STAGE) <= set(STAGES)
    assert set(PURPOSE_FOR_STAGE.values()) <= set(PURPOSES)
    assert set(PURPOSE_FOR_TODAY_KIND.values()) <= set(PURPOSES)


def test_defaults_are_seeded_on_first_use_once(services):
    assert Template.select().count() == 0  # opening the database seeds nothing
    names = [t.name for t in services.templates.all()]
    assert len(names) == len(default_templates())
    assert "Not selected" in names
    assert "Absage" in names
    assert services.templates.ensure_defaults() == 0
    assert Template.select().count() == len(names)


def test_seeding_never_overwrites_an_edit_nor_revives_a_deleted_default(services, clock):
    templates = services.templates.all()
    birthday = next(t for t in templates if t.data.name == "Birthday")
    offer = next(t for t in templates if t.data.name == "Offer")
    edited = TemplateInput("Birthday", subject="Happy birthday!", body="Have a great day.")
    services.templates.update(birthday.id, edited)
    services.templates.delete(offer.id)

    fresh = type(services.templates)(clock, services.hub, services.database)  # the next start
    assert fresh.ensure_defaults() == 0
    names = {t.name: t for t in fresh.all()}
    assert names["Birthday"].data.body == "Have a great day."
    assert "Offer" not in names


def test_a_user_template_with_a_default_name_wins(services, clock):
    services.templates._seeded = True  # as if this database predates shipped templates
    mine = services.templates.create(TemplateInput("Birthday", body="My own wishes"))
    services.templates.ensure_defaults()
    birthdays = [t for t in services.templates.all() if t.name == "Birthday"]
    assert [(t.id, t.data.body, t.builtin_key) for t in birthdays] == [
        (mine, "My own wishes", None)
    ]


def test_reset_to_default_restores_the_shipped_text(services):
    check_in = next(t for t in services.templates.all() if t.name == "Check-in")
    services.templates.update(check_in.id, TemplateInput("Check-in", body="short"))
    services.templates.reset_to_default(check_in.id)
    assert services.templates.get(check_in.id).data == default_templates()["check_in.en"]
    mine = services.templates.create(TemplateInput("Mine", body="x"))
    with pytest.raises(ValueError, match="shipped"):
        services.templates.reset_to_default(mine)


def test_choose_by_name_or_by_purpose_in_the_candidates_language(services):
    assert services.templates.choose("absage").name == "Absage"  # by name, case-blind
    assert services.templates.choose("not_selected", "de").name == "Absage"
    assert services.templates.choose("not_selected", "de_AT").name == "Absage"
    assert services.templates.choose("not_selected", "en").name == "Not selected"
    assert services.templates.choose("not_selected", "fr").name == "Not selected"  # English
    own = services.templates.create(
        TemplateInput("Pas retenu", body="Bonjour {first_name}", purpose="not_selected")
    )
    services.templates.update(
        own,
        TemplateInput(
            "Pas retenu", body="Bonjour {first_name}", purpose="not_selected", language="fr"
        ),
    )
    assert services.templates.choose("not_selected", "fr").id == own
    assert services.templates.choose("no_such_purpose", "en") is None


def test_a_purpose_wins_over_a_template_of_the_same_name(services):
    # "birthday" is a purpose and also (case-blind) the English default's name.
    assert services.templates.choose("birthday", "de").name == "Geburtstag"
    assert services.templates.choose("Birthday", "de").name == "Birthday"  # a name, exactly
