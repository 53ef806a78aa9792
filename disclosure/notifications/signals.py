"""A workflow step recorded (a ``Transition`` inserted) → its notifications."""

from __future__ import annotations

from .services import notify_transition


def transition_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:  # not when loading fixtures
        notify_transition(instance)
