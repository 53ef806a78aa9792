"""django-axes wiring: the client's address behind the reverse proxy, and the page a
locked-out log-in gets (the log-in page saying why, in Chinese, with HTTP 429)."""

from __future__ import annotations

import ipaddress

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

LOCKED_MESSAGE = "登录失败次数过多，该账号或您所在的网络地址已被暂时锁定，请在{minutes}分钟后再试。"
FORGOTTEN_HINT = "如果忘记了密码，可以通过“忘记密码”用登记的电子邮箱重设。"


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies that
    append to X-Forwarded-For (nginx's ``$proxy_add_x_forwarded_for``) the entry that
    many places from the right; what a client wrote to the left of it is ignored."""
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if len(entries) < count:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-count]))
    except ValueError:
        return remote


def locked_message(request=None) -> str:
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 30
    return LOCKED_MESSAGE.format(minutes=minutes)


def lockout_response(request, original_response=None, credentials=None):
    """The log-in page with the lockout message, status ``AXES_HTTP_RESPONSE_CODE`` (429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked_out": locked_message(request),
        "locked_hint": FORGOTTEN_HINT,
        "next": request.POST.get("next", "") or request.GET.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
