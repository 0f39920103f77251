"""vCard import in the shapes real address books write, and vCard 3.0 export."""

from __future__ import annotations

import io

import vobject

from crm_desktop.core.candidates import CandidateInput
from crm_desktop.core.validation import PartialDate
from crm_desktop.exchange.vcard import write_vcards
from crm_desktop.store.models import Candidate, ContactPoint

# Outlook 2016 (vCard 2.1): quoted-printable with soft line breaks, bare TYPE parameters,
# a compact birthday and a base64 photo whose lines are not folded the 3.0 way.
OUTLOOK_21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;LANGUAGE=de;CHARSET=utf-8:Müller;Zoë\r\n"
    "FN;CHARSET=utf-8:Zoë Müller\r\n"
    "ORG:Datenwerk GmbH;Research\r\n"
    "TITLE:Data Scientist\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=utf-8:Met at PyData Berlin. Wants to stay remote=\r\n"
    "=0D=0ASecond line with an umlaut: =C3=BC\r\n"
    "TEL;WORK;VOICE:+49 30 1234567\r\n"
    "TEL;CELL;VOICE:0170 7654321\r\n"
    "ADR;WORK;PREF:;;Hauptstr. 1;Berlin;;10115;Germany\r\n"
    "EMAIL;PREF;INTERNET:zoe@datenwerk.example\r\n"
    "BDAY:19850314\r\n"
    "PHOTO;TYPE=JPEG;ENCODING=BASE64:\r\n"
    " /9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a\r\n"
    " HBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL\r\n"
    "\r\n"
    "REV:20260101T120000Z\r\n"
    "END:VCARD\r\n"
)

# Apple Contacts (3.0): grouped items with X-ABLabel, a year-less birthday.
APPLE = """BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//macOS 14.0//EN
N:Tanaka;Aiko;;;
FN:Aiko Tanaka
ORG:Kaisha K.K.;
TITLE:Product Manager
item1.EMAIL;type=INTERNET;type=pref:aiko@kaisha.example
item1.X-ABLabel:_$!<Other>!$_
TEL;type=CELL;type=VOICE;type=pref:+81 90-1234-5678
item2.URL;type=pref:https://aiko.example
item2.X-ABLabel:_$!<HomePage>!$_
BDAY;X-APPLE-OMIT-YEAR=1604:1604-12-01
END:VCARD
"""

# Android Contacts (2.1 and 3.0 in one file), a quoted-printable name.
ANDROID = """BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Okafor;Chinedu;;;
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Chinedu Okafor
TEL;CELL:+234 803 123 4567
EMAIL;HOME:chinedu@example.ng
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Patel;Priya;;;
FN:Priya Patel
TEL;TYPE=CELL:+91 98765 43210
BDAY:1990-07-21
END:VCARD
"""

# Google Contacts export (3.0), a folded NOTE line.
GMAIL = """BEGIN:VCARD
VERSION:3.0
FN:Mateo Rossi
N:Rossi;Mateo;;;
EMAIL;TYPE=INTERNET;TYPE=WORK:mateo@rossi.example
EMAIL;TYPE=INTERNET;TYPE=HOME:mateo.r@example.it
TEL;TYPE=CELL:+39 312 345 6789
ADR;TYPE=HOME:;;Via Roma 1;Milano;;20100;Italia
ORG:Rossi & Figli
NOTE:Prefers calls in the afternoon; looking for a team lead role in a company
  with remote days.
item1.URL:https\\://www.linkedin.com/in/mateo-rossi
item1.X-ABLabel:LinkedIn
END:VCARD
"""

# vCard 4.0 (RFC 6350): tel: URIs, year-less BDAY as --MMDD, a broken card in the middle.
VCARD_40 = """BEGIN:VCARD
VERSION:4.0
FN:Ines Moreau
N:Moreau;Ines;;;
EMAIL;TYPE=work:ines@example.fr
TEL;VALUE=uri;TYPE="voice,cell":tel:+33-6-12-34-56-78
BDAY:--0314
URL;TYPE=home:https://ines.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Broken Birthday
BDAY:the fourteenth of never
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Søren Berg
N:Berg;Søren;;;
EMAIL:soren@fjord.example
END:VCARD
"""


def by_last(services, last: str) -> CandidateInput:
    return services.candidates.get(Candidate.get(Candidate.last_name == last).id).data


def labels() -> dict[str, str]:
    return {p.value: p.label for p in ContactPoint.select()}


def test_outlook_21_quoted_printable_soft_breaks_and_photo(write, import_file, services):
    report = import_file(write("zoe.vcf", OUTLOOK_21))
    assert (report.created, report.rejected) == (1, [])
    zoe = by_last(services, "Müller")
    assert zoe.first_name == "Zoë"
    assert zoe.company_name == "Datenwerk GmbH"
    assert zoe.headline == "Data Scientist"
    assert zoe.birthday == PartialDate(3, 14, 1985)
    assert (
        zoe.notes == "Met at PyData Berlin. Wants to stay remote\r\nSecond line with an umlaut: ü"
    )
    assert zoe.location == "Berlin, Germany"
    assert zoe.phones == ("+49 30 1234567", "0170 7654321")
    assert labels()["0170 7654321"] == "mobile"
    assert labels()["+49 30 1234567"] == "work"


def test_apple_labels_and_year_less_birthday(write, import_file, services):
    import_file(write("aiko.vcf", APPLE))
    aiko = by_last(services, "Tanaka")
    assert aiko.birthday == PartialDate(12, 1)
    assert aiko.company_name == "Kaisha K.K."
    assert labels() == {
        "aiko@kaisha.example": "other",
        "+81 90-1234-5678": "mobile",
        "https://aiko.example": "homepage",
    }


def test_android_many_cards_per_file(write, import_file, services):
    report = import_file(write("contacts.vcf", ANDROID))
    assert report.created == 2
    assert by_last(services, "Okafor").emails == ("chinedu@example.ng",)
    assert by_last(services, "Patel").birthday == PartialDate(7, 21, 1990)


def test_gmail_folded_lines_and_escaped_values(write, import_file, services):
    import_file(write("google.vcf", GMAIL))
    mateo = by_last(services, "Rossi")
    assert mateo.emails == ("mateo@rossi.example", "mateo.r@example.it")
    assert mateo.notes.endswith("company with remote days.")
    assert mateo.company_name == "Rossi & Figli"
    assert mateo.location == "Milano, Italia"
    assert labels()["https://www.linkedin.com/in/mateo-rossi"] == "linkedin"


def test_vcard_40_and_a_broken_card_reported_with_its_line(write, import_file, services):
    report = import_file(write("v4.vcf", VCARD_40))
    assert report.created == 2
    [rejected] = report.rejected
    assert rejected.line == 10
    assert "fourteenth of never" in rejected.reason
    ines = by_last(services, "Moreau")
    assert ines.birthday == PartialDate(3, 14)
    assert ines.phones == ("+33-6-12-34-56-78",)
    assert labels()["+33-6-12-34-56-78"] == "mobile"


def test_reimporting_cards_creates_nothing(write, import_file, dump):
    path = write("all.vcf", OUTLOOK_21 + APPLE + ANDROID + GMAIL + VCARD_40)
    first = import_file(path)
    assert first.created == 7
    before = dump()
    again = import_file(path)
    assert (again.created, again.merged) == (0, 0)
    assert dump() == before


def test_unterminated_card_is_rejected_not_fatal(write, import_file):
    report = import_file(write("cut.vcf", APPLE + "BEGIN:VCARD\nVERSION:3.0\nFN:Cut Off\n"))
    assert report.created == 1
    assert report.rejected[0].line == 15
    assert "END:VCARD" in report.rejected[0].reason


def test_export_is_vcard_30_that_imports_back(services, tmp_path, write, import_file):
    ids = [
        services.candidates.create(
            CandidateInput(
                "Zoë",
                "Müller",
                headline="Data scientist",
                company_name="Datenwerk",
                birthday=PartialDate(2, 29),
                emails=("zoe@example.de",),
                phones=("+49 30 1234567",),
                notes="Line one\nLine two, with a comma; and a semicolon",
            )
        ),
        services.candidates.create(
            CandidateInput("Ada", "Lovelace", birthday=PartialDate(12, 10, 1985))
        ),
    ]
    out = io.StringIO()
    assert write_vcards(ids, out) == 2
    cards = list(vobject.readComponents(out.getvalue()))
    assert [c.version.value for c in cards] == ["3.0", "3.0"]
    assert cards[0].fn.value == "Zoë Müller"
    assert cards[0].bday.params["X-APPLE-OMIT-YEAR"] == ["1604"]
    before = [services.candidates.get(i).data for i in ids]
    report = import_file(write("back.vcf", out.getvalue()))
    assert (report.created, report.merged) == (0, 0)
    assert [services.candidates.get(i).data for i in ids] == before
