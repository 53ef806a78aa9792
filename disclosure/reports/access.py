"""Who may see and do what. Every view gets reports through ``reports_for_user``
and ``get_report_for_user`` (404 for anything the user may not see)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import AnnualReport, Membership, Role


def membership(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


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
        return reports.filter(agency__region__startswith=m.region)
    return reports.filter(agency_id=m.agency_id)


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
