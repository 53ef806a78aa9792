from django.urls import path

from . import views_formats

app_name = "formats"
urlpatterns = [
    path("<slug:code>.<slug:version>.json", views_formats.checks, name="checks"),
]
