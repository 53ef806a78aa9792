from django.urls import path

from . import views, views_upload, xlsx_upload

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("start/", views.report_start, name="start"),
    path("upload-start/", views_upload.upload_start, name="upload_start"),
    path("upload-start/save/", views_upload.upload_start_save, name="upload_start_save"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/explanations/", views.report_explain, name="explain"),
    path("<int:pk>/imported/", views_upload.upload_start_done, name="upload_start_done"),
    path("<int:pk>/xlsx/upload/", xlsx_upload.xlsx_upload, name="xlsx_upload"),
]
