from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("visits.api.urls")),
    path("", include("visits.urls")),
]

handler404 = "visits.views.not_found"
