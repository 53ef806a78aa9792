"""python manage.py loadtest_seed: the accounts and reports of the load test (loadtest/run.py).

Creates ``--agencies`` agencies (压测机关001…), each with a clerk (``lt_clerk_001``…) and a
reviewer (``lt_reviewer_001``…), the region's office (``lt_office``: reads every report), all
sharing the password ``--password``, and a draft report of
``--year`` whose every cell is filled (0) and whose narrative sections are written, so it can
be submitted as it is; every ``--submitted-every``-th report is submitted, and agency 001 also
has an approved report of the year before (a stored PDF for the readers to download). It
writes the plan the load test reads (users, report ids, statuses, the cell keys of the format)
as JSON to ``--out``.

Refused unless demo data is allowed (``DEMO_DATA_ALLOWED``, on with ``DEBUG``) or ``--yes`` is
given, and always refused when the database holds an agency the command did not make: the
load-test accounts (one shared, known password) must never land in real data.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from disclosure.formats.checks import compute_totals
from disclosure.reports.models import Agency, AnnualReport, Membership, Region, Role
from disclosure.reports.services import save_values, start_report
from disclosure.review.workflow import approve_report, submit_report

AGENCY_PREFIX = "压测机关"
REGION = "压测省压测市压测区"
CLERK = "lt_clerk_{:03d}"
REVIEWER = "lt_reviewer_{:03d}"
OFFICE = "lt_office"
# The narrative sections a submission needs; no digits, so no narrative check reads a number.
SECTIONS = {
    "general": "本年度按照规定主动公开政府信息，依申请公开工作依法办理。",
    "problems": "上年度问题已全部整改。存在的主要问题是公开内容还不够全面，下一步将加强培训和监督检查。",
    "other_matters": "本年度未收取信息处理费，无其他需要报告的事项。",
}


class Command(BaseCommand):
    help = "为压测创建机关、填报人、审核人和报告（仅用于压测数据库）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--agencies", type=int, default=50, help="机关数（每个机关一名填报人和一名审核人）"
        )
        parser.add_argument("--password", required=True, help="所有压测账号的密码")
        parser.add_argument("--year", type=int, default=2023, help="草稿报告的年度")
        parser.add_argument(
            "--submitted-every", type=int, default=5, help="每隔几个机关的报告预先提交审核（0：不提交）"
        )
        parser.add_argument("--out", help="把压测计划（账号、报告编号、单元格）写入此 JSON 文件")
        parser.add_argument("--yes", action="store_true", help="确认在非开发环境的（空）数据库中创建压测数据")

    def handle(self, *args, **options):
        if not (options["yes"] or settings.DEMO_DATA_ALLOWED):
            raise CommandError("压测数据只能写入压测数据库：请确认后加 --yes 运行（生产环境切勿运行）。")
        foreign = Agency.objects.exclude(name__startswith=AGENCY_PREFIX)
        if foreign.exists():
            raise CommandError(
                f"数据库中已有 {foreign.count()} 个非压测机关（如“{foreign.first().name}”），"
                "拒绝写入压测账号：请使用单独的空数据库。"
            )
        count = options["agencies"]
        if count < 1:
            raise CommandError("--agencies 至少为 1。")
        with transaction.atomic():
            plan = self.seed(count, options["password"], options["year"], options["submitted_every"])
        if options["out"]:
            Path(options["out"]).write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
        submitted = sum(1 for a in plan["agencies"] if a["status"] == "submitted")
        self.stdout.write(
            f"已创建 {count} 个压测机关（{count * 2 + 1} 个账号，{submitted} 份已提交审核，"
            f"{len(plan['approved_reports'])} 份已审核通过）。"
        )

    def seed(self, count: int, password: str, year: int, submitted_every: int) -> dict:
        User = get_user_model()
        hashed = make_password(password)  # one hash for all: seeding stays fast
        region = Region.from_names(REGION)
        agencies, approved = [], []
        for index in range(1, count + 1):
            agency, _ = Agency.objects.get_or_create(
                name=f"{AGENCY_PREFIX}{index:03d}",
                defaults={"region": region, "level": "county", "is_government": False},
            )
            clerk = self._user(User, CLERK.format(index), hashed, Role.CLERK, agency)
            reviewer = self._user(User, REVIEWER.format(index), hashed, Role.REVIEWER, agency)
            if index == 1:
                approved.append(self._approved(agency, year - 1, clerk, reviewer).pk)
            report = AnnualReport.objects.filter(agency=agency, year=year).first()
            if report is None:
                report = self._filled(agency, year, clerk)
                if submitted_every and index % submitted_every == 0:
                    submit_report(report.pk, clerk)
                    report.refresh_from_db()
            agencies.append(
                {
                    "agency": agency.name,
                    "clerk": clerk.username,
                    "reviewer": reviewer.username,
                    "report": report.pk,
                    "status": report.status,
                }
            )
        office = self._user(User, OFFICE, hashed, Role.OFFICE, None, region=region)
        fmt = AnnualReport(year=year).format
        return {
            "year": year,
            "office": office.username,
            "agencies": agencies,
            "approved_reports": approved,
            "input_keys": list(fmt.input_keys()),
            "narrative_fields": list(SECTIONS),
        }

    def _user(self, User, username, hashed, role, agency, region=None):
        user, created = User.objects.get_or_create(username=username, defaults={"password": hashed})
        if not created:
            user.password = hashed
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user, defaults={"role": role, "agency": agency, "region": region}
        )
        return user

    def _filled(self, agency, year, clerk) -> AnnualReport:
        report = start_report(agency, year, clerk)
        for name, text in SECTIONS.items():
            setattr(report, name, text)
        report.save()
        fmt = report.format
        save_values(report, compute_totals(fmt, dict.fromkeys(fmt.input_keys(), 0)))
        return report

    def _approved(self, agency, year, clerk, reviewer) -> AnnualReport:
        report = AnnualReport.objects.filter(agency=agency, year=year).first()
        if report is None:
            report = self._filled(agency, year, clerk)
            submit_report(report.pk, clerk)
            approve_report(report.pk, reviewer, comment="压测数据：审核通过。")
            report.refresh_from_db()
        return report
