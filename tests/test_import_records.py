"""The import of existing records from CSV (visits.importing): the command
``import_records`` and the admin's "Import records" page.

Every row goes through the models' rules; a file with a refused row writes nothing and
names the line, the column and the rule; importing the same file again changes nothing.
"Today" is 15 June 2025 (the ``today`` fixture). The States are those of the reference data
(Greece, Bulgaria, Azerbaijan, Belgium, Türkiye, with their public statements) and Sweden,
added here with automatic publication.
"""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests import factories
from tests.staff import messages_of
from visits.importing import (
    MAX_UPLOAD_BYTES,
    REPORTS,
    VISITS,
    FileRefused,
    Refusal,
    import_records,
)
from visits.models import (
    Facility,
    PlaceType,
    PublicStatement,
    Report,
    ReportVisit,
    State,
    Visit,
    VisitedPlace,
)

pytestmark = pytest.mark.django_db

D = datetime.date

VISIT_HEADER = ["state", "visit_type", "start_on", "end_on", "status", "places", "summary"]

# 30 visits to six States, the States written as ISO alpha-2 or alpha-3 codes in any case.
VISIT_ROWS = [
    ("GR", "periodic", "2013-04-04", "2013-04-16", "", "Korydallos Prison; Attica Police HQ", ""),
    ("grc", "ad_hoc", "2015-04-14", "2015-04-23", "", "Amygdaleza Pre-removal Centre", ""),
    ("GR", "ad_hoc", "2016-04-14", "2016-04-23", "completed", "Moria Reception Centre", ""),
    ("GRC", "ad_hoc", "2016-07-19", "2016-07-25", "", "Moria Reception Centre; Samos Hotspot", ""),
    ("GR", "periodic", "2018-04-10", "2018-04-19", "", "korydallos prison", ""),
    ("GR", "ad_hoc", "2019-11-12", "2019-11-19", "", "", "Immigration detention"),
    ("GR", "ad_hoc", "2020-03-13", "2020-03-17", "", "Samos Hotspot", ""),
    ("GR", "periodic", "2021-11-23", "2021-12-03", "", "", ""),
    ("BG", "periodic", "2014-10-13", "2014-10-24", "", "Sofia Prison", ""),
    ("bgr", "ad_hoc", "2017-09-25", "2017-10-06", "", "Sofia Prison; Burgas Prison", ""),
    ("BG", "periodic", "2020-12-02", "2020-12-11", "", "", ""),
    ("BG", "ad_hoc", "2021-08-10", "2021-08-16", "", "", ""),
    ("BG", "periodic", "2023-05-08", "2023-05-19", "", "", ""),
    ("BG", "ad_hoc", "2025-06-09", "", "in_progress", "", ""),
    ("AZ", "periodic", "2016-03-28", "2016-04-08", "", "", ""),
    ("AZE", "ad_hoc", "2017-10-16", "2017-10-20", "", "", ""),
    ("AZ", "periodic", "2019-05-06", "2019-05-15", "", "", ""),
    ("AZE", "ad_hoc", "2022-12-05", "2022-12-16", "", "Gobustan Prison", ""),
    ("BE", "periodic", "2017-11-20", "2017-11-29", "", "", ""),
    ("bel", "ad_hoc", "2019-04-15", "2019-04-19", "", "", ""),
    ("BE", "periodic", "2021-12-06", "2021-12-15", "", "", ""),
    ("BEL", "ad_hoc", "2023-11-27", "2023-12-01", "", "", ""),
    ("TR", "periodic", "2017-05-06", "2017-05-17", "", "", ""),
    ("TUR", "ad_hoc", "2019-05-06", "2019-05-17", "", "", ""),
    ("TR", "periodic", "2021-01-11", "2021-01-25", "", "", ""),
    ("tr", "ad_hoc", "2022-09-20", "2022-09-29", "", "", ""),
    ("SE", "periodic", "2015-05-18", "2015-05-28", "", "Kronoberg Remand Prison", ""),
    ("SWE", "ad_hoc", "2017-03-06", "2017-03-10", "", "", ""),
    ("SE", "periodic", "2021-05-18", "2021-05-28", "", "", ""),
    ("SE", "ad_hoc", "2025-09-15", "2025-09-24", "planned", "", ""),
]
NEW_PLACES = 9  # the places VISIT_ROWS name (any case), one each

REPORT_HEADER = [
    "reference",
    "title",
    "state",
    "visit_start_on",
    "language",
    "adopted_on",
    "transmitted_on",
    "response_due_on",
    "publication_requested_on",
    "publication_ground",
    "published_on",
    "summary",
]


def report(ref, code, days, adopted, transmitted="", due="", requested="", ground="", published=""):
    """A row of a reports file, in English, without a summary."""
    title = f"Report on the visit of {days[:4]}"
    dates = [adopted, transmitted, due, requested]
    return (ref, title, code, days, "en", *dates, ground, published, "")


# 20 reports: four on two visits; published at the State's request, under automatic
# publication (Sweden) and as annexes to public statements (Bulgaria, Azerbaijan); some
# not published, one not transmitted.
REPORT_ROWS = [
    report("CPT/Inf (2014) 7", "GR", "2013-04-04", "2013-07-05", "2013-07-25", "", "2014-02-20",
           "state_request", "2014-03-04"),
    report("CPT/Inf (2016) 4", "GR", "2015-04-14", "2015-07-09", "2015-07-30", "2015-10-30",
           "2016-02-15", "state_request", "2016-03-01"),
    report("CPT/Inf (2017) 25", "GRC", "2016-04-14; 2016-07-19", "2016-11-10", "2016-11-30", "",
           "2017-09-01", "state_request", "2017-09-26"),
    report("CPT/Inf (2019) 4", "GR", "2018-04-10", "2018-07-06", "2018-07-26", "", "2019-02-01",
           "STATE_REQUEST", "2019-02-19"),
    report("CPT/Inf (2020) 35", "gr", "2019-11-12; 2020-03-13", "2020-07-10", "2020-07-28", "",
           "2020-11-05", "state_request", "2020-11-19"),
    report("GR-2021-11", "GR", "2021-11-23", "2022-03-11", "2022-04-05"),
    report("CPT/Inf (2015) 12", "BG", "2014-10-13", "2014-11-07", "2014-12-05", "", "",
           "public_statement", "2015-03-26"),
    report("CPT/Inf (2018) 15", "BGR", "2017-09-25", "2017-11-10", "2017-12-04", "", "2018-04-20",
           "state_request", "2018-05-04"),
    report("CPT/Inf (2021) 30", "BG", "2020-12-02; 2021-08-10", "2021-10-08", "2021-10-20", "",
           "", "public_statement", "2021-11-16"),
    report("BG-2023-05", "BG", "2023-05-08", "2023-07-07", "2023-07-20", "2023-10-20"),
    report("AZ-2016-03", "AZ", "2016-03-28", "2016-07-08", "2016-07-27"),
    report("AZ-2017-10", "AZE", "2017-10-16", "2018-03-09", "2018-03-22"),
    report("CPT/Inf (2024) 22", "AZE", "2022-12-05", "2023-03-10", "2023-03-28", "", "",
           "public_statement", "2024-07-03"),
    report("CPT/Inf (2018) 8", "BE", "2017-11-20", "2018-03-09", "2018-03-21", "", "2018-07-02",
           "state_request", "2018-07-10"),
    report("CPT/Inf (2022) 8", "bel", "2019-04-15; 2021-12-06", "2022-03-11", "2022-03-25", "",
           "2022-06-01", "state_request", "2022-06-14"),
    report("BE-2023-11", "BE", "2023-11-27", "2024-03-08"),
    report("CPT/Inf (2020) 22", "TR", "2019-05-06", "2019-07-05", "2019-07-24", "",
           "2020-07-01", "state_request", "2020-08-05"),
    report("TR-2017-05", "TUR", "2017-05-06", "2017-07-07", "2017-07-21"),
    report("CPT/Inf (2016) 1", "SE", "2015-05-18", "2015-07-10", "2015-07-22", "", "",
           "automatic", "2016-01-14"),
    report("CPT/Inf (2022) 10", "SWE", "2021-05-18", "2021-07-09", "2021-07-21", "", "",
           "automatic", "2022-01-20"),
]  # fmt: skip

MODELS = [State, Facility, Visit, VisitedPlace, Report, ReportVisit]


def csv_bytes(header, rows, delimiter=",", bom=False):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def counts():
    return {model.__name__: model._default_manager.count() for model in MODELS}


@pytest.fixture
def sweden(today):
    """Sweden, a party that authorised automatic publication (dates for the tests)."""
    return factories.StateFactory(
        code="SE",
        name="Sweden",
        signed_on=D(1987, 11, 26),
        ratified_on=D(1988, 6, 21),
        in_force_on=D(1989, 2, 1),
        automatic_publication_since=D(2010, 1, 1),
    )


@pytest.fixture
def visits_imported(sweden):
    result = import_records(csv_bytes(VISIT_HEADER, VISIT_ROWS), write=True)
    assert result.refusals == []
    return result


def write(tmp_path, data, name="records.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


# A whole data set, imported and imported again


def test_thirty_visits_are_created_with_their_places(sweden, tmp_path):
    code, out, err = run(write(tmp_path, csv_bytes(VISIT_HEADER, VISIT_ROWS)))
    assert (code, err) == (0, "")
    assert "Imported: 30 created, 0 changed, 0 unchanged." in out
    assert (
        "Line 5: created Greece: ad hoc visit, July 2016 (places visited: Moria Reception "
        "Centre; Samos Hotspot)"
    ) in out
    assert Visit.private_objects.count() == 30
    assert Facility.private_objects.count() == NEW_PLACES
    assert set(Facility.private_objects.values_list("place_type", flat=True)) == {PlaceType.OTHER}
    assert VisitedPlace.private_objects.count() == 13
    greece = Visit.private_objects.filter(state__code="GR")
    assert greece.count() == 8
    july = greece.get(start_on=D(2016, 7, 19))
    assert (july.visit_type, july.status, july.end_on) == ("ad_hoc", "completed", D(2016, 7, 25))
    assert sorted(july.places.values_list("facility__name", flat=True)) == [
        "Moria Reception Centre",
        "Samos Hotspot",
    ]
    # "korydallos prison" in another case is the same place.
    assert Facility.private_objects.filter(name__iexact="korydallos prison").count() == 1
    in_progress = Visit.private_objects.get(state__code="BG", start_on=D(2025, 6, 9))
    assert (in_progress.status, in_progress.end_on) == ("in_progress", None)
    planned = Visit.private_objects.get(state__code="SE", planned_start_on=D(2025, 9, 15))
    assert (planned.status, planned.start_on, planned.planned_end_on) == (
        "planned",
        None,
        D(2025, 9, 24),
    )


def test_the_same_visits_imported_again_change_nothing(visits_imported, tmp_path):
    before = counts()
    code, out, _err = run(write(tmp_path, csv_bytes(VISIT_HEADER, VISIT_ROWS)))
    assert code == 0
    assert "Imported: 0 created, 0 changed, 30 unchanged." in out
    assert counts() == before
    assert set(Visit.private_objects.values_list("version", flat=True)) == {1}


def test_twenty_reports_are_created_on_their_visits(visits_imported, tmp_path):
    code, out, err = run(write(tmp_path, csv_bytes(REPORT_HEADER, REPORT_ROWS)))
    assert (code, err) == (0, "")
    assert "Imported: 20 created, 0 changed, 0 unchanged." in out
    assert Report.private_objects.count() == 20
    assert ReportVisit.private_objects.count() == 24
    two = Report.private_objects.get(reference="CPT/Inf (2017) 25")
    assert [visit.start_on for visit in two.covered_visits()] == [D(2016, 4, 14), D(2016, 7, 19)]
    grounds = {}
    for row in Report.private_objects.exclude(published_on=None):
        grounds[row.publication_ground] = grounds.get(row.publication_ground, 0) + 1
    assert grounds == {"state_request": 9, "automatic": 2, "public_statement": 3}
    assert Report.private_objects.filter(published_on=None).count() == 6
    assert Report.private_objects.filter(personal_data_checked=True).count() == 14


def test_annexed_reports_name_the_statement_issued_on_or_before_publication(
    visits_imported, tmp_path
):
    run(write(tmp_path, csv_bytes(REPORT_HEADER, REPORT_ROWS)))
    annexed = Report.private_objects.filter(publication_ground="public_statement")
    assert sorted((report.reference, report.public_statement.issued_on) for report in annexed) == [
        ("CPT/Inf (2015) 12", D(2015, 3, 26)),
        ("CPT/Inf (2021) 30", D(2021, 11, 4)),
        ("CPT/Inf (2024) 22", D(2024, 7, 3)),
    ]


def test_an_empty_response_deadline_takes_the_default_of_the_visits_covered(
    visits_imported, tmp_path
):
    run(write(tmp_path, csv_bytes(REPORT_HEADER, REPORT_ROWS)))
    due = dict(Report.private_objects.values_list("reference", "response_due_on"))
    assert due["CPT/Inf (2014) 7"] == D(2014, 1, 25)  # periodic: six months
    assert due["CPT/Inf (2017) 25"] == D(2017, 2, 28)  # two ad hoc visits: three months
    assert due["CPT/Inf (2016) 4"] == D(2015, 10, 30)  # given in the file
    assert due["BE-2023-11"] is None  # not transmitted


def test_the_same_reports_imported_again_change_nothing(visits_imported, tmp_path):
    path = write(tmp_path, csv_bytes(REPORT_HEADER, REPORT_ROWS))
    run(path)
    before = counts()
    code, out, _err = run(path)
    assert code == 0
    assert "Imported: 0 created, 0 changed, 20 unchanged." in out
    assert counts() == before
    assert set(Report.private_objects.values_list("version", flat=True)) == {1}


def test_a_row_that_differs_changes_its_record_through_the_model(visits_imported, tmp_path):
    rows = [list(row) for row in VISIT_ROWS]
    rows[7][3] = "2021-12-04"  # line 9: one more day
    rows[7][6] = "Periodic visit"
    result = import_records(csv_bytes(VISIT_HEADER, rows), write=True)
    assert (result.count("created"), result.count("changed"), result.count("unchanged")) == (
        0,
        1,
        29,
    )
    [changed] = result.of("changed")
    assert changed.line == 9
    assert changed.changes == ["end: 2021-12-03 → 2021-12-04", "summary: – → Periodic visit"]
    visit = Visit.private_objects.get(state__code="GR", start_on=D(2021, 11, 23))
    assert (visit.end_on, visit.summary, visit.version) == (D(2021, 12, 4), "Periodic visit", 2)


def test_a_report_row_naming_other_visits_changes_the_visits_covered(visits_imported):
    import_records(csv_bytes(REPORT_HEADER, REPORT_ROWS), write=True)
    rows = [list(row) for row in REPORT_ROWS]
    rows[5][3] = "2020-03-13; 2021-11-23"  # line 7, GR-2021-11
    result = import_records(csv_bytes(REPORT_HEADER, rows), write=True)
    assert [(o.line, o.changes) for o in result.of("changed")] == [
        (7, ["visits covered: 2020-03-13; 2021-11-23"])
    ]
    report = Report.private_objects.get(reference="GR-2021-11")
    assert [visit.start_on for visit in report.covered_visits()] == [
        D(2020, 3, 13),
        D(2021, 11, 23),
    ]


def test_the_preview_lists_the_language_versions_to_add_and_creates_no_document(
    visits_imported, tmp_path
):
    code, out, _err = run(write(tmp_path, csv_bytes(REPORT_HEADER, REPORT_ROWS[:1])))
    assert code == 0
    assert "language versions to add in the admin (PDF files): English (en)" in out
    assert Report.private_objects.get().documents.count() == 0


# --dry-run


def test_dry_run_prints_the_preview_and_writes_nothing(sweden, tmp_path):
    before = counts()
    code, out, err = run(write(tmp_path, csv_bytes(VISIT_HEADER, VISIT_ROWS)), "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "Visits file, 30 rows: 30 to create, 0 to change, 0 unchanged, 0 refused."
    )
    assert "Line 2: would create Greece: periodic visit, April 2013" in out
    assert out.splitlines()[-1] == "Dry run: nothing was written."
    assert counts() == before


# Refused rows: nothing is written, and the message names the line, the column and the rule


def refusals_of(data):
    before = counts()
    result = import_records(data, write=True)
    assert counts() == before
    assert not result.written
    return [(r.line, r.column, r.message) for r in result.refusals]


def test_a_report_on_a_visit_that_is_not_on_record_is_refused(visits_imported):
    rows = [list(row) for row in REPORT_ROWS]
    rows[2][3] = "2016-04-14; 2016-07-20"
    assert refusals_of(csv_bytes(REPORT_HEADER, rows)) == [
        (
            4,
            "visit_start_on",
            "No visit to Greece starts on 2016-07-20: import or add the visit first.",
        )
    ]


def test_a_report_on_a_visit_to_another_state_is_refused(visits_imported):
    rows = [list(row) for row in REPORT_ROWS]
    rows[0][3] = "2013-04-04; 2014-10-13"  # the second is a visit to Bulgaria
    assert refusals_of(csv_bytes(REPORT_HEADER, rows)) == [
        (
            2,
            "visit_start_on",
            "No visit to Greece starts on 2014-10-13 (a visit to another State does: a report "
            "covers visits to its own State only).",
        )
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2016-02-30", "“2016-02-30” is not a date in the form YYYY-MM-DD."),
        ("14/04/2016", "“14/04/2016” is not a date in the form YYYY-MM-DD."),
        ("20160414", "“20160414” is not a date in the form YYYY-MM-DD."),
    ],
)
def test_a_bad_date_is_refused(sweden, value, message):
    rows = [list(row) for row in VISIT_ROWS]
    rows[10][3] = value  # line 12
    assert refusals_of(csv_bytes(VISIT_HEADER, rows)) == [(12, "end_on", message)]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("XYZ", "“XYZ” is not an ISO 3166-1 country code."),
        ("QQ", "“QQ” is not an ISO 3166-1 country code."),
        ("Greece", "“GREECE” is not an ISO 3166-1 country code."),
        ("", "Enter the State's ISO code (e.g. GR or GRC)."),
    ],
)
def test_a_bad_state_code_is_refused(sweden, code, message):
    rows = [list(row) for row in VISIT_ROWS]
    rows[3][0] = code  # line 5
    assert refusals_of(csv_bytes(VISIT_HEADER, rows)) == [(5, "state", message)]


def test_a_state_not_on_record_is_named_for_staff_to_add_first(sweden):
    rows = [list(row) for row in VISIT_ROWS]
    rows[0][0] = "mlt"
    result = import_records(csv_bytes(VISIT_HEADER, rows), write=True)
    assert [str(refusal) for refusal in result.refusals] == [
        "Line 2, column state: Malta (MT) is not on record. Add it under States with its "
        "ratification date first: the import does not create a State, because without its "
        "treaty dates the Convention is not in force for it (Article 19) and every visit to "
        "it would be refused."
    ]
    assert result.states_to_add == {"MT": "Malta"}
    assert not State.private_objects.filter(code="MT").exists()
    assert Visit.private_objects.count() == 0


def test_a_visit_before_the_convention_was_in_force_gets_the_models_rule(sweden):
    rows = [list(row) for row in VISIT_ROWS]
    rows[14][2] = "2001-03-28"  # Azerbaijan: in force from 1 August 2002
    assert refusals_of(csv_bytes(VISIT_HEADER, rows)) == [
        (16, "start_on", "The Convention was not in force for Azerbaijan on that date.")
    ]


def test_a_visit_ending_before_it_starts_is_refused_and_the_other_errors_listed(sweden):
    rows = [list(row) for row in VISIT_ROWS]
    rows[1][3] = "2015-04-01"
    rows[20][1] = "surprise"
    assert refusals_of(csv_bytes(VISIT_HEADER, rows)) == [
        (3, "end_on", "The visit cannot end before it starts."),
        (22, "visit_type", "Value 'surprise' is not a valid choice."),
    ]


def test_a_completed_visit_in_the_future_is_refused(sweden):
    rows = [list(row) for row in VISIT_ROWS]
    rows[29][4] = "completed"  # planned for September 2025
    assert refusals_of(csv_bytes(VISIT_HEADER, rows)) == [
        (31, "start_on", "The date is in the future: record a step once it is done."),
        (31, "end_on", "The date is in the future: record a step once it is done."),
    ]


def test_the_same_visit_twice_in_a_file_is_refused(sweden):
    rows = [*VISIT_ROWS, ("grc", "ad_hoc", "2016-04-14", "2016-04-22", "", "", "")]
    assert refusals_of(csv_bytes(VISIT_HEADER, rows)) == [
        (32, "start_on", "Line 4 already has the visit to Greece of 2016-04-14.")
    ]


def test_a_publication_without_a_ground_is_refused(visits_imported):
    rows = [list(row) for row in REPORT_ROWS]
    rows[3][9] = ""  # line 5
    assert refusals_of(csv_bytes(REPORT_HEADER, rows)) == [
        (
            5,
            "publication_ground",
            "A published report needs its publication ground: state_request, automatic, "
            "public_statement.",
        )
    ]


def test_a_publication_on_a_ground_that_does_not_hold_gets_the_models_rule(visits_imported):
    rows = [list(row) for row in REPORT_ROWS]
    rows[0][9] = "automatic"  # Greece never authorised automatic publication
    assert refusals_of(csv_bytes(REPORT_HEADER, rows)) == [
        (
            2,
            "published_on",
            "Cannot publish: the State had not authorised automatic publication on that day.",
        )
    ]


def test_an_annex_to_a_statement_issued_after_publication_is_refused(visits_imported):
    PublicStatement.private_objects.filter(state__code="AZ").update(issued_on=D(2024, 7, 4))
    rows = [list(row) for row in REPORT_ROWS]
    assert refusals_of(csv_bytes(REPORT_HEADER, rows)) == [
        (
            14,
            "publication_ground",
            "No public statement of Azerbaijan was issued on or before 2024-07-03: record "
            "the statement first (Article 10(2)).",
        )
    ]


def test_a_reference_twice_in_the_file_is_refused(visits_imported):
    rows = [*REPORT_ROWS, REPORT_ROWS[3]]
    assert refusals_of(csv_bytes(REPORT_HEADER, rows)) == [
        (22, "reference", "Line 5 already has the reference “CPT/Inf (2019) 4”.")
    ]


def test_a_reference_on_record_for_another_state_is_refused(visits_imported):
    factories.ReportFactory(reference="CPT/Inf (2019) 4", visit__state__name="Ruritania")
    assert refusals_of(csv_bytes(REPORT_HEADER, REPORT_ROWS)) == [
        (
            5,
            "state",
            "The report “CPT/Inf (2019) 4” on record is on Ruritania, not on Greece: a "
            "reference names one report.",
        )
    ]


def test_refused_rows_exit_with_code_2_and_name_line_and_column(visits_imported, tmp_path):
    rows = [list(row) for row in REPORT_ROWS]
    rows[3][9] = ""
    rows[6][10] = "2015-13-01"
    before = counts()
    code, out, err = run(write(tmp_path, csv_bytes(REPORT_HEADER, rows)))
    assert code == 2
    assert "Line 5, column publication_ground: A published report needs" in err
    assert "Line 8, column published_on: “2015-13-01” is not a date" in err
    assert "2 rows refused: nothing was written." in err
    assert counts() == before


# Files in other shapes


def test_a_file_with_a_byte_order_mark_and_semicolons_is_read(sweden):
    data = csv_bytes(VISIT_HEADER, VISIT_ROWS, delimiter=";", bom=True)
    result = import_records(data, write=True)
    assert (result.kind, result.count("created"), result.refusals) == (VISITS, 30, [])


def test_columns_in_another_order_and_case_without_the_optional_ones_are_read(sweden):
    data = b"END_ON,Start_On,state,visit_type\n2013-04-16,2013-04-04,GR,periodic\n"
    result = import_records(data, write=True)
    assert result.count("created") == 1
    assert Visit.private_objects.get().status == "completed"


def test_a_quoted_summary_over_several_lines_keeps_the_line_numbers(visits_imported):
    rows = [list(row) for row in REPORT_ROWS[:3]]
    rows[0][11] = "First line\nsecond line"
    rows[2][4] = "xx"  # line 5: the first row took lines 2 and 3
    assert refusals_of(csv_bytes(REPORT_HEADER, rows)) == [
        (5, "language", "“xx” is not a language code (ISO 639-1, e.g. en, fr).")
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
        (
            "state,visit_type,start_on,end_on\nTR,periodic,2017-05-06,2017-05-17 Türkiye\n".encode(
                "latin-1"
            ),
            "The file is not UTF-8 text (byte 69 cannot be read). Save it from the spreadsheet "
            "as “CSV UTF-8” and import it again.",
        ),
        (
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
            "This is not a CSV file: it holds binary data. Save the sheet as CSV.",
        ),
        (
            b"state,visit_type,start_on,end_on\n",
            "The file has a header but no rows.",
        ),
        (
            b"state,visit_type,start_on\nGR,periodic,2013-04-04\n",
            "This visits file has no column end_on. A visits file starts with the line "
            "state,visit_type,start_on,end_on,status,places,summary; a reports file with "
            "reference,title,state,visit_start_on,language,adopted_on,transmitted_on,"
            "response_due_on,publication_requested_on,publication_ground,published_on,summary "
            "(separated by “,” or “;”).",
        ),
        (b"name,code\nGreece,GR\n", "The first line is not the header of a visits or a reports"),
        (
            b"state,visit_type,start_on,end_on,notes\n",
            "Unknown column “notes” in the header.",
        ),
        (b'state,visit_type,start_on,end_on\n"GR,periodic', "Line 2 cannot be read as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_error(data, message):
    with pytest.raises(FileRefused) as refused:
        import_records(data, write=True)
    assert refused.value.message.startswith(message)


def test_the_command_says_why_a_file_cannot_be_read(tmp_path):
    path = write(tmp_path, "state;visit_type\nGR;periodique é".encode("cp1252"))
    code, out, err = run(path)
    assert code == 1
    assert "The file is not UTF-8 text" in err
    assert "Traceback" not in err


def test_the_command_says_when_the_file_does_not_exist(tmp_path):
    code, _out, err = run(tmp_path / "missing.csv")
    assert code == 1
    assert "Cannot read" in err


def test_a_row_with_too_many_values_is_refused(sweden):
    data = b"state,visit_type,start_on,end_on\nGR,periodic,2013-04-04,2013-04-16,extra\n"
    assert refusals_of(data) == [
        (
            2,
            "",
            "The row has 5 values and the header 4 columns: check the separators and quotes.",
        )
    ]


def test_the_kinds_document_their_headers():
    assert VISITS.header == ",".join(VISIT_HEADER)
    assert REPORTS.header == ",".join(REPORT_HEADER)
    assert str(Refusal(3, "state", "Why.")) == "Line 3, column state: Why."


# The admin page


@pytest.fixture
def upload():
    def make(data, name="records.csv"):
        return SimpleUploadedFile(name, data, content_type="text/csv")

    return make


IMPORT_URL = "/admin/import-records/"


def test_the_import_page_is_linked_from_the_admin_for_editors(editor_client):
    assert reverse("admin:import_records") == IMPORT_URL
    for url in ["/admin/", "/admin/visits/visit/", "/admin/visits/report/"]:
        assert f'href="{IMPORT_URL}"' in editor_client.get(url).content.decode()


def test_a_reader_sees_no_link_and_gets_403(reader_client, upload):
    assert IMPORT_URL not in reader_client.get("/admin/").content.decode()
    assert reader_client.get(IMPORT_URL).status_code == 403
    data = csv_bytes(VISIT_HEADER, VISIT_ROWS[:1])
    assert reader_client.post(IMPORT_URL, {"file": upload(data)}).status_code == 403
    assert reader_client.post(IMPORT_URL, {"digest": "x"}).status_code == 403
    assert Visit.private_objects.count() == 0


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_upload_preview_confirm_imports_the_records(editor_client, sweden, upload):
    preview = editor_client.post(IMPORT_URL, {"file": upload(csv_bytes(VISIT_HEADER, VISIT_ROWS))})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "30 to create, 0 to change, 0 unchanged, 0 refused" in page
    assert "Greece: ad hoc visit, July 2016" in page
    assert "Moria Reception Centre (Greece)" in page
    assert Visit.private_objects.count() == 0
    digest = preview.context["digest"]
    done = editor_client.post(IMPORT_URL, {"digest": digest})
    assert done.status_code == 302
    assert done["Location"] == "/admin/visits/visit/"
    assert messages_of(done) == [
        ("success", "Imported records.csv: 30 created, 0 changed, 0 unchanged.")
    ]
    assert Visit.private_objects.count() == 30
    history = Visit.history.filter(start_on=D(2016, 7, 19)).get()
    assert (history.history_user.username, history.history_change_reason) == (
        "editor",
        "Imported from records.csv",
    )
    # The same content cannot be confirmed twice.
    again = editor_client.post(IMPORT_URL, {"digest": digest})
    assert again["Location"] == IMPORT_URL
    assert Visit.private_objects.count() == 30


def test_the_preview_shows_refused_lines_and_offers_no_import(editor_client, sweden, upload):
    rows = [list(row) for row in VISIT_ROWS]
    rows[0][0] = "MLT"
    rows[4][2] = "2018-04-31"
    preview = editor_client.post(IMPORT_URL, {"file": upload(csv_bytes(VISIT_HEADER, rows))})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 lines are refused: nothing will be imported" in page
    assert "<td>2</td><td><code>state</code></td><td>Malta (MT) is not on record." in page
    assert "<td>6</td><td><code>start_on</code></td><td>“2018-04-31” is not a date" in page
    assert "/admin/visits/state/add/?code=MT&amp;name=Malta" in page
    assert 'name="digest"' not in page
    # Confirming anyway shows the same refusals and writes nothing.
    confirmed = editor_client.post(IMPORT_URL, {"digest": preview.context["digest"]})
    assert "2 lines are refused" in confirmed.content.decode()
    assert Visit.private_objects.count() == 0


def test_the_confirmation_imports_the_content_previewed_not_a_new_upload(
    editor_client, sweden, upload
):
    first = editor_client.post(IMPORT_URL, {"file": upload(csv_bytes(VISIT_HEADER, VISIT_ROWS))})
    other = csv_bytes(VISIT_HEADER, VISIT_ROWS[:2])
    editor_client.post(IMPORT_URL, {"file": upload(other, "other.csv")})
    stale = editor_client.post(IMPORT_URL, {"digest": first.context["digest"]})
    assert stale["Location"] == IMPORT_URL
    assert messages_of(stale)[0][0] == "error"
    assert Visit.private_objects.count() == 0
    # A file sent with the confirmation is ignored: the session's content is imported.
    latest = editor_client.post(IMPORT_URL, {"file": upload(other, "other.csv")})
    editor_client.post(
        IMPORT_URL,
        {"digest": latest.context["digest"], "file": upload(csv_bytes(VISIT_HEADER, VISIT_ROWS))},
    )
    assert Visit.private_objects.count() == 2


def test_a_file_refused_whole_is_said_on_the_upload_form(editor_client, upload):
    response = editor_client.post(IMPORT_URL, {"file": upload("é".encode("latin-1") + b",x\n")})
    assert response.status_code == 200
    assert "The file is not UTF-8 text" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused_with_a_message(editor_client, upload):
    data = b"state,visit_type,start_on,end_on\n" + b"x" * MAX_UPLOAD_BYTES
    response = editor_client.post(IMPORT_URL, {"file": upload(data)})
    assert response.status_code == 200
    assert "the import takes files of at most 5.0\xa0MB" in response.content.decode()


def test_reports_through_the_admin_show_the_versions_to_add(editor_client, visits_imported, upload):
    preview = editor_client.post(
        IMPORT_URL, {"file": upload(csv_bytes(REPORT_HEADER, REPORT_ROWS), "reports.csv")}
    )
    page = preview.content.decode()
    assert "20 to create" in page
    assert "once the reports are imported, add each version" in page
    done = editor_client.post(IMPORT_URL, {"digest": preview.context["digest"]})
    assert done["Location"] == "/admin/visits/report/"
    assert Report.private_objects.count() == 20
    again = editor_client.post(
        IMPORT_URL, {"file": upload(csv_bytes(REPORT_HEADER, REPORT_ROWS), "reports.csv")}
    )
    assert "Nothing to import: every line is already on record as it is." in (
        again.content.decode()
    )


def test_the_preview_is_in_french_for_a_french_browser(editor_client, sweden, upload):
    rows = [list(row) for row in VISIT_ROWS]
    rows[4][2] = "2018-04-31"
    preview = editor_client.post(
        IMPORT_URL,
        {"file": upload(csv_bytes(VISIT_HEADER, rows))},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    page = preview.content.decode()
    assert "Fichier de visites, 30 lignes\u00a0: 29 à créer, 0 à modifier" in page
    assert "«\u00a02018-04-31\u00a0» n&#x27;est pas une date de la forme AAAA-MM-JJ." in page
    assert "1 ligne est refusée\u00a0: rien ne sera importé" in page
