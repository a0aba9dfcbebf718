"""The API's addresses, under /api/v1/ (tracker/urls.py)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from visits.api import views

app_name = "api"

router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")
router.register("states", views.StateViewSet, basename="state")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("refusals", views.RefusalViewSet, basename="refusal")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")

urlpatterns = [
    *router.urls,
    path("non-cooperation/", views.NonCooperationView.as_view(), name="noncooperation"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/v1/: a 404 in JSON, as the API's other errors. The pattern
    # matches the start of any path: "^.*$" missed those holding a newline (%0A).
    re_path(r"^", views.not_found),
]
