"""The completeness dashboard (placeholder until built)."""

from django.http import Http404


def dashboard(request):
    raise Http404("尚未提供")
