"""The signed-in user's own notifications: the list, and marking them read (POST)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from .models import Notification

PER_PAGE = 50


@require_GET
def notification_list(request):
    mine = Notification.objects.filter(recipient=request.user).select_related("report")
    page = Paginator(mine, PER_PAGE).get_page(request.GET.get("page"))
    unread = mine.filter(read_at=None).count()
    return render(request, "notifications/list.html", {"page": page, "unread": unread})


@require_POST
def mark_read(request, pk: int):
    """Mark one of the user's notifications read; ``open`` goes on to its page."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.link if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    Notification.objects.filter(recipient=request.user, read_at=None).update(read_at=timezone.now())
    return redirect("notifications:list")
