from django.urls import path, re_path

from visits import feeds, views

app_name = "visits"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/export.csv", views.report_export_csv, name="report_export_csv"),
    path("reports/export.json", views.report_export_json, name="report_export_json"),
    path("reports/feed/", feeds.report_feed, name="report_feed"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "reports/<int:pk>/documents/<int:document_pk>/",
        views.report_document,
        name="report_document",
    ),
    path("reports/<int:pk>/search/", views.report_search, name="report_search"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
    path(
        "reports/<int:pk>/responses/<int:response_pk>/file/",
        views.response_file,
        name="response_file",
    ),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path(
        "recommendations/export.csv",
        views.recommendation_export_csv,
        name="recommendation_export_csv",
    ),
    path(
        "recommendations/export.json",
        views.recommendation_export_json,
        name="recommendation_export_json",
    ),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("non-cooperation/", views.noncooperation_summary, name="noncooperation"),
    path(
        "non-cooperation/export.csv",
        views.noncooperation_export_csv,
        name="noncooperation_export_csv",
    ),
    path(
        "non-cooperation/export.json",
        views.noncooperation_export_json,
        name="noncooperation_export_json",
    ),
    path(
        "statements/<int:pk>/documents/<int:document_pk>/",
        views.statement_document,
        name="statement_document",
    ),
    path("states/", views.state_list, name="state_list"),
    # Two letters (the page) or three (an alpha-3 code, redirected), any case: anything else
    # is not a State's code and answers 404.
    re_path(r"^states/(?P<code>[A-Za-z]{2,3})/$", views.state_detail, name="state_detail"),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    path("healthz", views.healthz, name="healthz"),
]
