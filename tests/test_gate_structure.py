"""Confidentiality by structure: public code can only reach the public managers.

Every model with a public side has ``public_objects`` (what the public may see today) and
``private_objects`` (every row, for staff code), and no bare ``objects``. The source of every
module that serves the public is read here: it must not name an unfiltered manager, follow a
reverse relation to unfiltered rows, or ask the shared functions for staff data. Every module of
the project is classified, so a new one must be declared public or staff before the suite passes.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from visits.querysets import PublicManager

ROOT = Path(__file__).resolve().parent.parent

# Modules that serve the public: pages, feeds, filters, public exports, the summary.
PUBLIC_MODULES = {
    "visits/views.py",
    "visits/feeds.py",
    "visits/filters.py",
    "visits/exports.py",
    "visits/noncooperation.py",
    "visits/charts.py",
    "visits/parameters.py",
    "visits/presentation.py",
    "visits/search.py",
    "visits/templatetags/__init__.py",
    "visits/templatetags/visits_extras.py",
    "visits/urls.py",
    "visits/api/__init__.py",
    "visits/api/items.py",
    "visits/api/pagination.py",
    "visits/api/schema.py",
    "visits/api/serializers.py",
    "visits/api/throttling.py",
    "visits/api/urls.py",
    "visits/api/views.py",
    "tracker/urls.py",
}
# Modules that may read every row: staff code, the gate itself, the domain rules, settings.
STAFF_OR_DOMAIN_PATTERNS = [
    r"visits/__init__\.py",
    r"visits/apps\.py",
    r"visits/models\.py",
    r"visits/querysets\.py",  # the gate: it defines the managers
    r"visits/treaty\.py",
    r"visits/countries\.py",  # names and codes: pure functions, no query
    r"visits/history\.py",
    r"visits/validators\.py",
    r"visits/cache\.py",  # the version token only; it reads no domain row
    r"visits/importing\.py",  # staff: the import of records (command and admin)
    r"visits/pasting\.py",  # staff: a pasted list of recommendations read (no query)
    r"visits/extraction\.py",  # a PDF's text read (no query)
    r"visits/tasks\.py",  # the background worker: extraction, for every document
    r"visits/admin/.*\.py",
    r"visits/management/.*\.py",
    r"visits/migrations/.*\.py",
    r"tracker/(__init__|settings|wsgi|asgi|apps|admin)\.py",
    r"devtools/.*\.py",
]

GATED_MODELS = [
    "State",
    "Facility",
    "Visit",
    "VisitedPlace",
    "Report",
    "Response",
    "CooperationRefusal",
    "PublicStatement",
    "Document",
    "DocumentPage",
    "ReportVisit",
    "Theme",
    "Recommendation",
    "Assessment",
]
UNFILTERED = {"objects", "private_objects", "_default_manager", "_base_manager"}
# Methods of a manager or queryset that run SQL of their own: flagged where they are called
# (a django-filter Filter has an ``extra`` dict, read freely).
UNFILTERED_CALLS = {"raw", "extra"}
QUERY_METHODS = {
    "all",
    "filter",
    "exclude",
    "get",
    "count",
    "first",
    "last",
    "exists",
    "order_by",
    "values",
    "values_list",
    "iterator",
    "aggregate",
    "annotate",
    "select_related",
    "prefetch_related",
    "in_bulk",
}


def gated_models():
    return [apps.get_model("visits", name) for name in GATED_MODELS]


def reverse_accessors():
    """The names through which a row of a gated model reaches other rows unfiltered."""
    names = set()
    for model in gated_models():
        for relation in model._meta.related_objects:
            names.add(relation.get_accessor_name())
    return names


def leaks(source, accessors):
    """(line, what) for each way ``source`` reaches rows the gate did not filter."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in UNFILTERED:
            found.append((node.lineno, f".{node.attr}"))
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in UNFILTERED_CALLS
        ):
            found.append((node.lineno, f".{node.func.attr}"))
        if (
            isinstance(node, ast.Attribute)
            and node.attr in QUERY_METHODS
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in accessors
        ):
            found.append((node.lineno, f".{node.value.attr}.{node.attr}"))
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "public"
                    and isinstance(value, ast.Constant)
                    and value.value is False
                ):
                    found.append((node.lineno, "public=False"))
                # A serializer field reading a reverse relation: source="documents".
                if (
                    keyword.arg == "source"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and value.value.split(".")[0] in accessors
                ):
                    found.append((node.lineno, f"source={value.value!r}"))
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "Prefetch" and not any(k.arg == "queryset" for k in node.keywords):
                found.append((node.lineno, "Prefetch without a public queryset"))
            if name == "prefetch_related" and any(
                isinstance(arg, ast.Constant) for arg in node.args
            ):
                found.append((node.lineno, "prefetch_related of a lookup, not a Prefetch"))
        # A serializer field named after a reverse relation reads it when given no source:
        # ``documents = DocumentSerializer(many=True)`` in a class body.
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Call)
                    and not any(k.arg == "source" for k in statement.value.keywords)
                    and _called(statement.value) not in SELF_SOURCED
                ):
                    for target in statement.targets:
                        if isinstance(target, ast.Name) and target.id in accessors:
                            found.append((statement.lineno, f"field {target.id} with no source"))
    return found


# The API's fields that read what they are given, not an attribute of their name
# (visits/api/serializers.py).
SELF_SOURCED = {"ComputedList", "SerializerMethodField", "LinkField", "StateNameField"}


def _called(call):
    return getattr(call.func, "id", getattr(call.func, "attr", ""))


def project_modules():
    for folder in ("visits", "tracker", "devtools"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("name", GATED_MODELS)
def test_a_gated_model_has_a_public_and_a_private_manager_and_no_bare_objects(name):
    model = apps.get_model("visits", name)
    assert isinstance(model.public_objects, PublicManager)
    assert type(model.private_objects).get_queryset is models.Manager.get_queryset
    assert not hasattr(model, "objects")
    # The admin, forms and related lookups use the default manager: it is the private one.
    assert model._default_manager.name == "private_objects"


def test_every_module_is_classified_as_public_or_staff():
    unclassified = [
        module
        for module in project_modules()
        if module not in PUBLIC_MODULES
        and not any(re.fullmatch(pattern, module) for pattern in STAFF_OR_DOMAIN_PATTERNS)
    ]
    assert unclassified == []


def test_no_public_module_reaches_an_unfiltered_manager():
    accessors = reverse_accessors()
    found = {}
    for module in sorted(PUBLIC_MODULES):
        path = ROOT / module
        if path.exists():
            found.update(
                {f"{module}:{line}": what for line, what in leaks(path.read_text(), accessors)}
            )
    assert found == {}


def test_no_public_template_follows_a_relation_to_unfiltered_rows():
    pattern = re.compile(
        r"\.(" + "|".join(sorted(reverse_accessors())) + r")\.(all|count|first|last|exists)\b"
        r"|\w+_set\b"
    )
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        relative = template.relative_to(ROOT).as_posix()
        if relative.startswith(("templates/admin/", "templates/simple_history/")):
            continue
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if pattern.search(line):
                found.append(f"{relative}:{number}")
    assert found == []


# The check itself: what it must catch, and what it must let through.

ACCESSORS = {"responses", "places", "visits"}


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Report.objects.all()", [(1, ".objects")]),
        ("Report.private_objects.filter(pk=1)", [(1, ".private_objects")]),
        ("get_object_or_404(Report._default_manager, pk=1)", [(1, "._default_manager")]),
        ("Report.public_objects.raw('SELECT 1')", [(1, ".raw")]),
        ("report.responses.all()", [(1, ".responses.all")]),
        ("state.visits.count()", [(1, ".visits.count")]),
        ("summary(filters, public=False)", [(1, "public=False")]),
        ("Prefetch('responses')", [(1, "Prefetch without a public queryset")]),
        (
            "reports.prefetch_related('visit__places')",
            [(1, "prefetch_related of a lookup, not a Prefetch")],
        ),
        ("ListField(source='responses', child=IntegerField())", [(1, "source='responses'")]),
        ("CharField(source='places.name')", [(1, "source='places.name'")]),
        (
            "class S(Serializer):\n    responses = ResponseSerializer(many=True)",
            [(2, "field responses with no source")],
        ),
    ],
)
def test_the_check_finds_each_way_around_the_gate(source, expected):
    assert leaks(source, ACCESSORS) == expected


@pytest.mark.parametrize(
    "source",
    [
        "Report.public_objects.filter(visit__state=state).count()",
        "VisitedPlace.public_objects.of_public_visits()",
        "Prefetch('responses', queryset=Response.public_objects.all(), to_attr='public')",
        "summary(filters)",
        "manager_for(Report, public).counted()",
        "counts['visits']",
        "report.visit.state",
        "ResponseSerializer(source='public_responses', many=True)",
        "class S(Serializer):\n    responses = ResponseSerializer(source='public_responses')",
        "class S(Serializer):\n    places = ComputedList(lambda r: r.public_places)",
    ],
)
def test_the_check_lets_public_code_through(source):
    assert leaks(source, ACCESSORS) == []


def test_a_public_view_using_an_unfiltered_manager_fails_the_check():
    view = (
        "from visits.models import Report\n"
        "def leaky(request, pk):\n"
        "    return Report.private_objects.get(pk=pk)\n"
    )
    assert leaks(view, reverse_accessors()) == [(3, ".private_objects")]
