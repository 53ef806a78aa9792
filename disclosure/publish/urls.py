from django.urls import path

from . import views

app_name = "publish"
urlpatterns = [
    path("<int:pk>/html/", views.report_html, name="html"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/data.json", views.report_data, name="data"),
    path("<int:pk>/docx/", views.report_docx_download, name="docx"),
    path("<int:pk>/xlsx/", views.report_xlsx_download, name="xlsx"),
]
