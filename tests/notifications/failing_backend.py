"""An e-mail backend whose server is down."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    attempts = 0

    def send_messages(self, email_messages):
        Backend.attempts += 1
        raise smtplib.SMTPServerDisconnected("connection refused")
