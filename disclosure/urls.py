from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reports:list", permanent=False)),
    path("accounts/login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("reports/", include("disclosure.reports.urls")),
    path("reports/", include("disclosure.publish.urls")),
    path("reports/", include("disclosure.review.urls")),
    path("oversight/", include("disclosure.oversight.urls")),
    path("formats/", include("disclosure.reports.urls_formats")),
    path("jobs/", include("disclosure.jobs.urls")),
    path("notifications/", include("disclosure.notifications.urls")),
    path("accounts/", include("disclosure.accounts.urls")),
    path("", include("disclosure.ops.urls")),
]
