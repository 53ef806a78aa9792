"""The regional disclosure office's pages: who has reported, and the region's totals."""

from django.urls import path

from . import views_dashboard, views_rollup, views_upload

app_name = "oversight"
urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("<int:year>/rollup/", views_rollup.rollup, name="rollup"),
    path("<int:year>/rollup/cell/<str:key>/", views_rollup.rollup_cell, name="rollup_cell"),
    path("<int:year>/rollup.json", views_rollup.rollup_json, name="rollup_json"),
    path("<int:year>/rollup.xlsx", views_rollup.rollup_xlsx, name="rollup_xlsx"),
    path("<int:year>/rollup/html/", views_rollup.rollup_html, name="rollup_html"),
    path("<int:year>/rollup/pdf/", views_rollup.rollup_pdf, name="rollup_pdf"),
    path("<int:year>/rollup/export/", views_rollup.rollup_export, name="rollup_export"),
    path("upload/", views_upload.upload_reports, name="upload"),
]
