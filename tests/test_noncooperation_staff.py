"""The staff side of the non-cooperation summary: the admin's CSV exports from the refusals
list, and ``manage.py export_noncooperation``. Staff files count everything and say on their
first line that they are confidential; ``--public-only`` gives what the public site gives; bad
options stop with exit code 2; a file is written whole or not at all."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.urls import reverse

from tests.noncooperation_data import (
    CONFIDENTIAL_NOTICE,
    PUBLIC_REFUSAL_COLUMNS,
    PUBLIC_TODAY,
    STAFF_REFUSAL_COLUMNS,
    STAFF_TODAY,
    as_text,
)
from tests.reading import body_of
from tests.staff import staff_user
from visits import noncooperation
from visits.models import CooperationRefusal
from visits.noncooperation import SUMMARY_COLUMNS

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:visits_cooperationrefusal_changelist")


def read_csv(text, preamble_lines):
    """(preamble rows, column names, rows as dicts) of a CSV text."""
    lines = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    preamble, (columns, *values) = lines[:preamble_lines], lines[preamble_lines:]
    return preamble, columns, [dict(zip(columns, line, strict=True)) for line in values]


def run(*args):
    out = io.StringIO()
    call_command("export_noncooperation", *args, stdout=out)
    return out.getvalue()


# The admin.


def admin_action(client, action, refusals):
    response = client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [refusal.pk for refusal in refusals]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return body_of(response).decode("utf-8")


def test_admin_exports_the_staff_summary_of_the_selected_refusals_states(
    noncooperation_site, reader_client
):
    text = admin_action(
        reader_client, "export_summary_csv", CooperationRefusal.private_objects.all()
    )
    assert text.startswith("\ufeff")
    preamble, columns, rows = read_csv(text, 2)
    assert preamble == [
        [CONFIDENTIAL_NOTICE],
        [
            "Non-cooperation summary by State (staff data, confidential records included)",
            "period: the first record to the latest record",
            "made on: 2025-06-15",
            "States: JA, JB, JC",
        ],
    ]
    assert preamble[0][0].startswith("CONFIDENTIAL")
    assert columns == SUMMARY_COLUMNS
    assert rows == [as_text(row) for row in STAFF_TODAY[:3]]


def test_admin_summary_of_one_states_refusals(noncooperation_site, reader_client):
    text = admin_action(reader_client, "export_summary_csv", [noncooperation_site.r13])
    _preamble, _columns, rows = read_csv(text, 2)
    assert rows == [as_text(STAFF_TODAY[2])]


def test_admin_exports_the_selected_refusals_with_their_internal_notes(
    noncooperation_site, reader_client
):
    text = admin_action(
        reader_client,
        "export_refusals_csv",
        [noncooperation_site.r4, noncooperation_site.r1, noncooperation_site.r5],
    )
    preamble, columns, rows = read_csv(text, 2)
    assert preamble[0] == [CONFIDENTIAL_NOTICE]
    assert preamble[1] == [
        "Refusals to co-operate selected in the admin, one row per refusal (staff data, "
        "confidential records included)",
        "made on: 2025-06-15",
    ]
    assert columns == STAFF_REFUSAL_COLUMNS
    assert [(row["id"], row["internal_notes"], row["disclosed_on"]) for row in rows] == [
        (str(noncooperation_site.r1.pk), "INTERNAL-NOTE-R1", "2023-09-01"),
        (str(noncooperation_site.r4.pk), "INTERNAL-NOTE-R4", ""),
        (str(noncooperation_site.r5.pk), "INTERNAL-NOTE-R5", "2025-06-16"),
    ]
    assert rows[1] == {
        "id": str(noncooperation_site.r4.pk),
        "state_code": "JA",
        "state": "Ruritania",
        "occurred_on": "2024-06-03",
        "kind": "expert_refused",
        "summary": "SECRET-REFUSAL-SUMMARY-R4",
        "disclosed_on": "",
        "resolved_on": "",
        "public_statement_on": "",
        "visit_id": "",
        "visit_status": "",
        "place": "",
        "internal_notes": "INTERNAL-NOTE-R4",
    }


def test_admin_exports_need_the_right_to_view_refusals(noncooperation_site, client):
    client.force_login(staff_user("clerk"))
    response = client.post(
        CHANGELIST,
        {"action": "export_refusals_csv", "_selected_action": [noncooperation_site.r4.pk]},
    )
    assert response.status_code == 403
    assert b"INTERNAL-NOTE" not in response.content


def test_admin_offers_both_exports(noncooperation_site, reader_client):
    page = reader_client.get(CHANGELIST).content.decode()
    assert (
        '<option value="export_summary_csv">Export the non-cooperation summary (CSV, staff)' in page
    )
    assert (
        '<option value="export_refusals_csv">'
        "Export the selected refusals with internal notes (CSV, staff)"
    ) in page


# The command.


def test_command_staff_summary_is_marked_confidential_and_counts_everything(noncooperation_site):
    output = run()
    assert not output.startswith("\ufeff")  # no byte-order mark on standard output
    preamble, columns, rows = read_csv(output, 2)
    assert preamble[0] == [CONFIDENTIAL_NOTICE]
    assert columns == SUMMARY_COLUMNS
    assert rows == [as_text(row) for row in STAFF_TODAY]


def test_command_staff_summary_counts_the_recommendations_the_public_does_not_see(
    noncooperation_site,
):
    """Repeated: ja6, ja7 (unpublished reports), jb5 (published tomorrow), jc3; not
    implemented from an unpublished response (ja2, jc1), an unpublished report (jc2) or
    another source (ja3, ja5, ja6), and not from a published one overridden by another source
    (ja4)."""

    def figures(output, preamble_lines):
        _preamble, columns, rows = read_csv(output, preamble_lines)
        assert columns[-2:] == ["recommendations_repeated", "recommendations_not_implemented"]
        return {
            row["state_code"]: (
                row["recommendations_repeated"],
                row["recommendations_not_implemented"],
            )
            for row in rows
        }

    codes = ["--state", "JA", "--state", "JB", "--state", "JC"]
    assert figures(run(*codes), 2) == {"JA": ("2", "5"), "JB": ("2", "2"), "JC": ("1", "2")}
    assert figures(run(*codes, "--public-only"), 1) == {
        "JA": ("0", "2"),
        "JB": ("1", "3"),
        "JC": ("0", "0"),
    }
    data = json.loads(run("--format", "json", "--by-year", "--state", "JC"))
    assert data["columns"] == SUMMARY_COLUMNS
    assert [
        (row["year"], row["recommendations_repeated"], row["recommendations_not_implemented"])
        for row in data["summary"]
    ] == [(2021, 0, 2), (2022, 1, 0)]


def test_command_public_only_gives_the_public_site_s_csv_byte_for_byte(
    noncooperation_site, client, tmp_path
):
    target = tmp_path / "summary.csv"
    run("--public-only", "--output", str(target))
    assert target.read_bytes() == body_of(client.get("/non-cooperation/export.csv"))
    _preamble, _columns, rows = read_csv(target.read_text(encoding="utf-8"), 1)
    assert rows == [as_text(row) for row in PUBLIC_TODAY]
    query = "state=JA&state=JC&since=2022-01-01&until=2024-12-31&kind=access_refused"
    args = ["--state", "ja", "--state", "JC", "--since", "2022-01-01", "--until", "2024-12-31"]
    run("--public-only", "--output", str(target), *args, "--kind", "access_refused")
    assert target.read_bytes() == body_of(client.get(f"/non-cooperation/export.csv?{query}"))


def test_command_public_json_is_the_public_site_s_json(noncooperation_site, client):
    output = run("--format", "json", "--public-only", "--by-year", "--include-empty")
    assert output.endswith("]}\n")
    web = json.loads(body_of(client.get("/non-cooperation/export.json?by_year=1&include_empty=1")))
    assert json.loads(output) == web
    # Ten States, each in the 14 years that have a refusal, a statement or a visit's end.
    assert len(web["summary"]) == 10 * 14


def test_command_staff_json_says_it_is_confidential(noncooperation_site):
    data = json.loads(run("--format", "json", "--state", "JC"))
    assert data["confidential"] is True
    assert data["notice"] == CONFIDENTIAL_NOTICE
    assert (
        data["title"]
        == "Non-cooperation summary by State (staff data, confidential records included)"
    )
    assert data["summary"] == [
        {
            column: value.isoformat() if hasattr(value, "isoformat") else value
            for column, value in STAFF_TODAY[2].items()
        }
    ]


def test_command_staff_summary_agrees_with_the_admin_export(noncooperation_site, reader_client):
    _p, _c, from_admin = read_csv(
        admin_action(reader_client, "export_summary_csv", CooperationRefusal.private_objects.all()),
        2,
    )
    _p, _c, from_command = read_csv(run("--state", "JA", "--state", "JB", "--state", "JC"), 2)
    assert from_admin == from_command


def test_command_detail_staff_has_every_refusal_and_its_notes(noncooperation_site):
    preamble, columns, rows = read_csv(run("--detail"), 2)
    assert preamble[0] == [CONFIDENTIAL_NOTICE]
    assert preamble[1][0] == (
        "Refusals to co-operate, one row per refusal (staff data, confidential records included)"
    )
    assert columns == STAFF_REFUSAL_COLUMNS
    assert len(rows) == 13
    assert {row["internal_notes"] for row in rows} == {f"INTERNAL-NOTE-R{n}" for n in range(1, 14)}


def test_command_detail_public_only_has_disclosed_refusals_without_notes(noncooperation_site):
    output = run("--detail", "--public-only", "--format", "csv")
    preamble, columns, rows = read_csv(output, 1)
    assert preamble == [
        [
            "Refusals to co-operate, one row per refusal (public data only)",
            "period: the first record to the latest record",
            "made on: 2025-06-15",
        ]
    ]
    assert columns == PUBLIC_REFUSAL_COLUMNS
    assert [row["id"] for row in rows] == [str(r.pk) for r in sorted(
        noncooperation_site.public_refusals, key=lambda r: (r.occurred_on, r.pk)
    )]  # fmt: skip
    assert "INTERNAL-NOTE" not in output
    assert "SECRET" not in output
    data = json.loads(run("--detail", "--public-only", "--format", "json"))
    assert data["columns"] == PUBLIC_REFUSAL_COLUMNS
    assert [row["id"] for row in data["refusals"]] == [int(row["id"]) for row in rows]


BAD_OPTIONS = [
    (["--since", "2024-02-30"], "--since: Enter a date as YYYY-MM-DD."),
    (["--until", "June 2025"], "--until: Enter a date as YYYY-MM-DD."),
    (["--state", "ZZ"], "--state: ZZ is not the code of a State we know."),
    (["--kind", "torture"], "--kind: torture is not a kind of refusal we know."),
    (
        ["--since", "2025-01-01", "--until", "2024-01-01"],
        "--until: The end of the period cannot come before its start.",
    ),
]


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_invalid_options_stop_with_a_clear_message_and_exit_code_2(
    noncooperation_site, options, message, tmp_path
):
    target = tmp_path / "summary.csv"
    with pytest.raises(CommandError) as stopped:
        run(*options, "--output", str(target))
    assert str(stopped.value) == message
    assert stopped.value.returncode == 2
    assert not target.exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        *BAD_OPTIONS,
        (["--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["--output", "/no/such/folder/x.csv"], "--output: the folder /no/such/folder does not"),
        (["--output", "."], "--output: . is a folder."),
    ],
)
def test_exit_code_2_from_the_command_line(
    noncooperation_site, options, message, capsys, monkeypatch
):
    # run_from_argv closes the database connections when it ends: not the test's.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    command = load_command_class("visits", "export_noncooperation")
    with pytest.raises(SystemExit) as stopped:
        command.run_from_argv(["manage.py", "export_noncooperation", *options])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_exit_code_2_in_a_real_process(tmp_path):
    """The exit code a shell or a cron job sees, for an option argparse refuses."""
    environment = {**os.environ, "DJANGO_SECRET_KEY": "x", "DATABASE_URL": "sqlite:///:memory:"}
    finished = subprocess.run(
        [sys.executable, "manage.py", "export_noncooperation", "--format", "xml"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 2
    assert "invalid choice: 'xml'" in finished.stderr


def test_a_failed_export_leaves_the_earlier_file_as_it_was(
    noncooperation_site, tmp_path, monkeypatch
):
    target = tmp_path / "refusals.csv"
    target.write_text("the export of last week\n")
    rows = noncooperation.refusal_rows

    def failing(*args, **kwargs):
        for index, row in enumerate(rows(*args, **kwargs)):
            if index == 3:
                raise RuntimeError("the database went away")
            yield row

    monkeypatch.setattr(noncooperation, "refusal_rows", failing)
    with pytest.raises(RuntimeError):
        run("--detail", "--output", str(target))
    assert target.read_text() == "the export of last week\n"
    assert os.listdir(tmp_path) == ["refusals.csv"]  # no temporary file left behind
    fresh = tmp_path / "new.csv"
    with pytest.raises(RuntimeError):
        run("--detail", "--output", str(fresh))
    assert not fresh.exists()
    assert os.listdir(tmp_path) == ["refusals.csv"]


def test_an_export_replaces_the_earlier_file_whole(noncooperation_site, tmp_path):
    target = tmp_path / "refusals.csv"
    target.write_text("the export of last week\n")
    assert run("--detail", "--output", str(target)) == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeff" + '"' + CONFIDENTIAL_NOTICE)
    assert len(read_csv(text, 2)[2]) == 13
    assert os.listdir(tmp_path) == ["refusals.csv"]
