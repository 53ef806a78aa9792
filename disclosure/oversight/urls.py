"""The regional disclosure office's pages: who has reported, and the region's totals."""

from django.urls import path

from . import views_dashboard, views_rollup

app_name = "oversight"
urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("<int:year>/rollup/", views_rollup.rollup, name="rollup"),
]
