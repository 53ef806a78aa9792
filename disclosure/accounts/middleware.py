"""The session ends after a working day without activity (``SESSION_COOKIE_AGE``).

Django renews a session's expiry only when the session is saved. Saving it on every
request (``SESSION_SAVE_EVERY_REQUEST``) costs a database write per page, per saved
cell block, per polled job status; instead the session is marked modified — and so
saved with a new expiry — at most once every ``SESSION_RENEW_SECONDS``. The session
then ends between ``SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS`` and
``SESSION_COOKIE_AGE`` after the last request."""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

RENEWED_KEY = "_renewed_at"


@receiver(user_logged_in, dispatch_uid="accounts.session_renewed_at_login")
def renewed_at_login(sender, request, user, **kwargs):
    """Logging in saves the session with a fresh expiry: the first page need not again."""
    if getattr(request, "session", None) is not None:
        request.session[RENEWED_KEY] = int(time.time())


class RenewSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        now = int(time.time())
        renewed = session.get(RENEWED_KEY, 0)
        if not isinstance(renewed, int) or now - renewed >= settings.SESSION_RENEW_SECONDS:
            session[RENEWED_KEY] = now
        return response
