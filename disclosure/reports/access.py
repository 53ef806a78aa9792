"""Who may see and do what. Every view gets reports through ``reports_for_user``
and ``get_report_for_user`` (404 for anything the user may not see)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from .models import Agency, AnnualReport, Membership, Region, Role


def membership(user) -> Membership | None:
    """The user's membership with its region, loaded once per request (and cached
    where ``user.membership`` looks, so templates reuse it)."""
    if not getattr(user, "is_authenticated", False):
        return None
    descriptor = get_user_model().membership.related  # request.user is a lazy wrapper
    if not descriptor.is_cached(user):
        found = Membership.objects.select_related("region").filter(user=user).first()
        descriptor.set_cached_value(user, found)
    return descriptor.get_cached_value(user)


def role_of(user) -> str | None:
    m = membership(user)
    return m.role if m else None


def reports_for_user(user) -> QuerySet[AnnualReport]:
    """The reports a user may read: their agency's; an office user's region's;
    a superuser's all."""
    reports = AnnualReport.objects.select_related("agency")
    if getattr(user, "is_superuser", False):
        return reports
    m = membership(user)
    if m is None:
        return reports.none()
    if m.role == Role.OFFICE:
        return reports.filter(agency__in=agencies_for_user(user))
    return reports.filter(agency_id=m.agency_id)


def office_region(user) -> Region | None:
    """The region an office user oversees (with every region below it), else None."""
    m = membership(user)
    return m.region if m and m.role == Role.OFFICE else None


def agencies_for_user(user) -> QuerySet[Agency]:
    """The agencies a user may see: a superuser's all; an office user's, those of its
    region and every region below; anyone else's, their own agency."""
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    m = membership(user)
    if m is None:
        return Agency.objects.none()
    if m.role == Role.OFFICE:
        return Agency.objects.filter(region__path__startswith=m.region.path)
    return Agency.objects.filter(pk=m.agency_id)


def get_report_for_user(user, pk, *, for_update: bool = False) -> AnnualReport:
    reports = reports_for_user(user)
    if for_update:
        reports = reports.select_for_update(of=("self",))
    try:
        return reports.get(pk=pk)
    except (AnnualReport.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该报告，或您无权查看。") from None


def has_role(user, report: AnnualReport, role: str) -> bool:
    """Whether ``user`` holds ``role`` in the report's own agency."""
    m = membership(user)
    return bool(m and m.role == role and m.agency_id == report.agency_id)


def is_clerk_of(user, report: AnnualReport) -> bool:
    return has_role(user, report, Role.CLERK)


def can_start(user, agency_id) -> bool:
    m = membership(user)
    return bool(m and m.role == Role.CLERK and m.agency_id == agency_id)


def can_edit(user, report: AnnualReport) -> bool:
    """Clerks of the report's agency edit drafts and returned reports."""
    return report.editable and is_clerk_of(user, report)
