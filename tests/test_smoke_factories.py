import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_every_factory_builds_a_record_that_passes_full_clean():
    records = [
        factories.VisitedPlaceFactory(),
        factories.ResponseFactory(),
        factories.CooperationRefusalFactory(),
        factories.PublicStatementFactory(),
    ]
    for record in records:
        record.full_clean()
    assert records[1].report.visit.state.status_on(records[1].received_on) == "party"
