"""The region's roll-up (placeholder until built)."""

from django.http import Http404


def rollup(request, year):
    raise Http404("尚未提供")
