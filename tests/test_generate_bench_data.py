"""generate_bench_data at a thousandth of scale 1, on the test database (SQLite or
PostgreSQL): exact counts, the same rows for the same seed from the same database, rows that
obey the model's rules, and no run over other records unless asked."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q

from tests.factories import FacilityFactory
from visits.models import (
    CooperationRefusal,
    Facility,
    PublicStatement,
    Report,
    Response,
    State,
    Visit,
    VisitedPlace,
)

pytestmark = pytest.mark.django_db

BENCH_STATE = Q(name__startswith="Bench State ")
# The bench rows of each model, parents first.
BENCH = {
    State: BENCH_STATE,
    Facility: Q(state__name__startswith="Bench State "),
    Visit: Q(state__name__startswith="Bench State "),
    VisitedPlace: Q(visit__state__name__startswith="Bench State "),
    Report: Q(visit__state__name__startswith="Bench State "),
    Response: Q(report__visit__state__name__startswith="Bench State "),
    PublicStatement: Q(state__name__startswith="Bench State "),
    CooperationRefusal: Q(state__name__startswith="Bench State "),
}


def generate(*args):
    out = io.StringIO()
    call_command("generate_bench_data", "--scale", "0.001", *args, stdout=out)
    return out.getvalue()


def bench(model):
    return model.private_objects.filter(BENCH[model])


class Rollback(Exception):
    pass


def rows_of_a_run(*args):
    """Every bench row a run makes (timestamps aside), then the run is rolled back: each
    call starts from the same fresh database."""
    try:
        with transaction.atomic():
            generate(*args)
            rows = {
                model.__name__: [
                    {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
                    for row in bench(model).order_by("pk").values()
                ]
                for model in BENCH
            }
            raise Rollback
    except Rollback:
        return rows


def test_counts_are_a_thousandth_of_scale_one():
    out = generate()
    counts = {model: bench(model).count() for model in BENCH}
    assert counts == {
        State: 3,  # 46 at scale 1, never fewer than three
        Facility: 20,
        Visit: 200,
        VisitedPlace: 1000,
        Report: 150,
        Response: 100,
        PublicStatement: 1,  # 50 at scale 1, never fewer than one
        CooperationRefusal: 300,
    }
    assert bench(Report).filter(published_on__isnull=True).count() == 30  # a fifth
    assert bench(CooperationRefusal).filter(disclosed_on__isnull=True).count() == 150  # half
    assert "visited places                       1,000 rows" in out
    assert "Done: 1,774 rows" in out


def test_bench_states_cannot_be_taken_for_real_ones():
    generate()
    for code, name in bench(State).values_list("code", "name"):
        assert code[0] in "QX" and code not in ("QA", "XK"), code
        assert name.startswith("Bench State ")
    for reference in bench(Report).exclude(reference="").values_list("reference", flat=True):
        assert reference.startswith("BENCH/Inf ("), reference


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first = rows_of_a_run()
    assert rows_of_a_run() == first
    assert rows_of_a_run("--seed", "2") != first


def test_sampled_rows_pass_full_clean():
    generate()
    for model in BENCH:
        rows = list(bench(model).order_by("pk"))
        for record in rows[:: max(1, len(rows) // 40)]:
            record.full_clean()


def test_public_and_confidential_records_are_both_there():
    generate()
    public = Report.public_objects.all().filter(BENCH[Report])
    assert public.count() == 120  # every published report is on a completed visit
    assert bench(Visit).exclude(status="completed").exists()
    assert Response.public_objects.all().filter(BENCH[Response]).count() == 70  # of 100
    assert CooperationRefusal.public_objects.all().filter(BENCH[CooperationRefusal]).count() == 150


def test_refuses_a_database_with_other_records_unless_forced():
    FacilityFactory()
    with pytest.raises(CommandError, match="not bench data"):
        generate()
    assert not bench(State).exists()
    generate("--force")
    assert bench(Visit).count() == 200
    assert Facility.private_objects.count() == 21


def test_refuses_a_second_run():
    generate()
    with pytest.raises(CommandError, match="already holds bench data"):
        generate("--force")
