"""python manage.py build_demo: regenerate fixtures/demo.json.

The five published sample reports are imported by the importer into a fresh
temporary SQLite database (a child process, so the real database is never
touched), the demo users are added, and the result is dumped. The numbers in
the fixture are therefore exactly what the importer reads from the texts.

For the 温州市 政务公开办 (``office_wenzhou``) a region of generated sample agencies
(示例单位01…24 in 鹿城区, 瓯海区 and 龙湾区, with their real 行政区划代码) is added,
with reports for the latest complete year and the year before in every state:
not started, drafts (some half filled, some with an arithmetic error), submitted,
returned with a comment, approved through the workflow, and imported as published.
The numbers are generated from a fixed seed and satisfy the rules unless an error
is the point, so a rebuild gives the same fixture."""

import os
import random
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from disclosure.formats.checks import compute_totals
from disclosure.formats.spec import Severity
from disclosure.importers.text import parse_report_file
from disclosure.reports.loading import load_regions
from disclosure.reports.models import Agency, AnnualReport, Membership, Region, Role, Transition
from disclosure.reports.record import save_import
from disclosure.reports.services import check_report, load_values, save_values, start_report
from disclosure.reports.workflow_spec import IMPORT, Status

DEMO_PASSWORD = "disclosure-demo"
SAMPLES = Path(settings.BASE_DIR) / "fixtures" / "published"
OUTPUT = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
TEMP_DB_VARIABLE = "DISCLOSURE_BUILD_DEMO_DB"

REGIONS = {
    "鹿城区民政局": "浙江省温州市鹿城区",
    "温州市鹿城区新居民服务中心": "浙江省温州市鹿城区",
    "津南区民政局": "天津市津南区",
    "海盐县民政局": "浙江省嘉兴市海盐县",
    "南关区民政局": "吉林省长春市南关区",
}
# (username, role, agency name or region, display name)
USERS = (
    ("clerk_lucheng", Role.CLERK, "鹿城区民政局", "鹿城填报员"),
    ("reviewer_lucheng", Role.REVIEWER, "鹿城区民政局", "鹿城审核员"),
    ("clerk_jinnan", Role.CLERK, "津南区民政局", "津南填报员"),
    ("reviewer_jinnan", Role.REVIEWER, "津南区民政局", "津南审核员"),
    ("office_wenzhou", Role.OFFICE, "浙江省温州市", "温州市政务公开办"),
)
DUMPED = ("reports", "auth.user")

# The real 行政区划代码 of the Wenzhou regions the demo uses (the regions created from
# written names take them, as ``load_regions`` does with a real file).
REGION_CODES = """代码,名称,上级代码
330000,浙江省,
330300,温州市,330000
330302,鹿城区,330300
330303,龙湾区,330300
330304,瓯海区,330300
"""
SAMPLE_REGIONS = ("浙江省温州市鹿城区", "浙江省温州市瓯海区", "浙江省温州市龙湾区")
SAMPLE_COUNT = 24
SAMPLE_SEED = 20250131
# the latest complete year (the dashboard's default: this year − 1) and the year before
SAMPLE_YEAR = 2025
# 鹿城区 asks its agencies for the report before the statutory 31 January
INTERNAL_DEADLINE = ("浙江省温州市鹿城区", 1, 15)
# the state of each sample agency's report for SAMPLE_YEAR, shuffled over the agencies:
# none = 未开始; draft_half = half filled; draft_error = an arithmetic error (T3-1);
# approved = submitted and approved through the workflow
PLAN = (
    ["none"] * 4
    + ["draft"] * 3
    + ["draft_half"] * 2
    + ["draft_error"] * 3
    + ["submitted"] * 3
    + ["returned"] * 3
    + ["approved"] * 6
)
# SAMPLE_YEAR − 1: imported as published, except for a few agencies new this year
EARLIER_MISSING = 3
RETURN_COMMENTS = (
    ("applications.carried_forward.natural_person", "自然人“结转下年度继续办理”与台账不一致，请核实后修改。"),
    ("problems", "第五部分“存在的主要问题及改进情况”过于简略，请结合本单位实际补充具体改进措施。"),
    ("", "请按市政务公开办通知要求补充政府信息公开工作机构和人员情况后重新提交。"),
)
APPLICANTS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other")
OUTCOMES = (
    "granted",
    "partial",
    "withheld_secret",
    "withheld_third_party",
    "withheld_process",
    "unable_not_held",
    "unable_unclear",
    "ignored_repeat",
    "other_other",
)


class Command(BaseCommand):
    help = "用导入器把五份已发布样例报告导入临时数据库，加上演示账号，重新生成 fixtures/demo.json。"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(OUTPUT), help="输出文件（默认 fixtures/demo.json）")
        parser.add_argument("--in-temp-db", action="store_true", help="（内部使用）已在临时数据库中运行")

    def handle(self, *args, output, in_temp_db=False, **options):
        if in_temp_db:
            self._build(Path(output))
        else:
            self._spawn(Path(output).resolve())

    def _spawn(self, output: Path) -> None:
        with tempfile.TemporaryDirectory() as directory:
            database = Path(directory) / "demo.sqlite3"
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", TEMP_DB_VARIABLE: str(database)}
            command = [sys.executable, "manage.py", "build_demo", "--in-temp-db", "--output", str(output)]
            done = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)
            self.stdout.write(done.stdout.rstrip())
            if done.returncode:
                raise CommandError(f"生成演示数据失败：\n{done.stderr}")

    def _build(self, output: Path) -> None:
        expected = os.environ.get(TEMP_DB_VARIABLE)
        if not expected or str(connection.settings_dict["NAME"]) != expected:
            raise CommandError("build_demo --in-temp-db 只能由 build_demo 在临时数据库中调用")
        call_command("migrate", verbosity=0, interactive=False)
        for path in sorted(SAMPLES.glob("*.txt")):
            report = save_import(parse_report_file(path))
            self.stdout.write(
                f"已导入 {path.name}：{report.agency.name} {report.year}年（{report.get_status_display()}）"
            )
        for agency in Agency.objects.all():
            agency.region = Region.from_names(REGIONS.get(agency.name, ""))
            agency.save(update_fields=["region"])
        for name in SAMPLE_REGIONS:
            Region.from_names(name)
        load_regions(REGION_CODES)
        region = Region.from_names(INTERNAL_DEADLINE[0])
        region.deadline_month, region.deadline_day = INTERNAL_DEADLINE[1:]
        region.save()
        self._samples()
        self._users()
        call_command("dumpdata", *DUMPED, indent=1, output=str(output), verbosity=0)
        reports = AnnualReport.objects.count()
        self.stdout.write(
            f"已写入 {output}：{Agency.objects.count()} 个机关、{reports} 份报告、{len(USERS) + 1} 个账号"
        )

    def _samples(self) -> None:
        """The sample agencies of 温州市 and their reports (see the module's docstring)."""
        rng = random.Random(SAMPLE_SEED)
        plan = list(PLAN)
        rng.shuffle(plan)
        earlier_missing = set(rng.sample(range(SAMPLE_COUNT), EARLIER_MISSING))
        returns = iter(RETURN_COMMENTS)
        for index in range(SAMPLE_COUNT):
            agency = _sample_agency(index)
            earlier = None
            if index not in earlier_missing:
                earlier = _sample_report(agency, SAMPLE_YEAR - 1, rng)
                _imported(earlier)
            state = plan[index]
            if state == "none":
                continue
            report = _sample_report(
                agency, SAMPLE_YEAR, rng, error=state.endswith("_error"), half=state == "draft_half"
            )
            if state.startswith(("submitted", "returned", "approved")):
                _move(report, "submit", Status.SUBMITTED, f"{agency.name}填报员")
            if state == "returned":
                target, comment = next(returns)
                _move(report, "return", Status.RETURNED, f"{agency.name}审核员", comment, target)
            if state == "approved":
                _move(report, "approve", Status.APPROVED, f"{agency.name}审核员", "经审核，同意发布。")
        states = ", ".join(f"{s} {PLAN.count(s)}" for s in dict.fromkeys(PLAN))
        self.stdout.write(f"已生成 {SAMPLE_COUNT} 个示例单位（{SAMPLE_YEAR}年：{states}）")

    def _users(self) -> None:
        # One proper hash shared by every demo account: the password is public
        # anyway, and hashing once keeps the build (and login checks) fast.
        hashed = make_password(DEMO_PASSWORD)
        users = get_user_model().objects
        users.create(
            username="admin",
            email="admin@example.invalid",
            first_name="管理员",
            password=hashed,
            is_staff=True,
            is_superuser=True,
        )
        for username, role, scope, display in USERS:
            user = users.create(username=username, first_name=display, password=hashed)
            if role == Role.OFFICE:
                Membership.objects.create(user=user, role=role, region=Region.from_names(scope))
            else:
                Membership.objects.create(user=user, role=role, agency=Agency.objects.get(name=scope))


def _sample_agency(index: int) -> Agency:
    number = f"{index + 1:02d}"
    written = SAMPLE_REGIONS[index * len(SAMPLE_REGIONS) // SAMPLE_COUNT]
    district = written.removeprefix("浙江省温州市")
    return Agency.objects.create(
        name=f"示例单位{number}",
        region=Region.from_names(written),
        level="county",
        is_government=index % 8 == 0,
        address=f"温州市{district}示例路{index + 1}号",
        postcode="325000",
        phone=f"0577-8800{number}",
        email=f"sample{number}@example.invalid",
    )


def _sample_report(agency: Agency, year: int, rng: random.Random, *, error=False, half=False) -> AnnualReport:
    """The agency's report for ``year``, started as a clerk would (carry-over and pre-fills
    from last year's report) and filled with generated numbers that satisfy every rule;
    ``error`` breaks 表三's T3-1 for 自然人, ``half`` leaves 表三 and 表四 blank."""
    report = start_report(agency, year)
    fmt = report.format
    previous = load_values(report)  # what start_report carried over
    values = dict.fromkeys(fmt.input_keys(), 0)
    values.update({k: v for k, v in previous.items() if v is not None})
    in_force = values["active.normative_documents.in_force"] or rng.randint(5, 40)
    issued, repealed = rng.randint(0, 8), rng.randint(0, 3)
    values["active.normative_documents.issued"] = issued
    values["active.normative_documents.repealed"] = repealed
    if previous["active.normative_documents.in_force"] is None:  # no report last year
        values["active.normative_documents.in_force"] = in_force
    values["active.licensing.decisions"] = rng.choice((0, rng.randint(10, 2000)))
    values["active.penalty.decisions"] = rng.randint(0, 300)
    values["active.coercion.decisions"] = rng.randint(0, 20)
    values["active.fees.fee_amount"] = Decimal("0")
    for column in APPLICANTS:
        weight = 12 if column == "natural_person" else 3
        for outcome in OUTCOMES:
            values[f"applications.{outcome}.{column}"] = rng.randint(0, weight if outcome == "granted" else 1)
        carried_over = values[f"applications.carried_over.{column}"] or 0
        values[f"applications.carried_over.{column}"] = carried_over
        forward = rng.randint(0, 2)
        values[f"applications.carried_forward.{column}"] = forward
        processed = sum(values[f"applications.{outcome}.{column}"] for outcome in OUTCOMES)
        if processed + forward < carried_over:
            values[f"applications.granted.{column}"] += carried_over - processed - forward
            processed = carried_over - forward
        values[f"applications.new.{column}"] = processed + forward - carried_over
    for kind in ("review", "direct", "after_review"):
        for result in ("upheld", "corrected", "other", "pending"):
            values[f"appeals.cases.{kind}_{result}"] = rng.randint(0, 2) if rng.random() < 0.3 else 0
    if error:
        values["applications.new.natural_person"] += rng.randint(1, 5)
    values = compute_totals(fmt, values)
    if half:
        values = {k: (v if k.startswith("active.") else None) for k, v in values.items()}
    save_values(report, values)
    report.general = (
        f"{year}年，{agency.name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "健全政府信息公开工作机制，做好主动公开、依申请公开和政策解读工作。（本报告为系统生成的示例数据。）"
    )
    if not half:
        report.problems = "政府信息公开工作仍存在信息更新不够及时等问题。下一步将加强培训，完善工作机制。"
        report.other_matters = "本年度未收取信息处理费。"
    report.save()
    errors = [f for f in check_report(report) if f.severity == Severity.ERROR]
    if bool(errors) != error:
        raise CommandError(f"示例数据生成有误：{agency.name}{year}年 {[f.message for f in errors]}")
    return report


def _move(
    report: AnnualReport, code: str, target: str, actor: str, comment: str = "", cell: str = ""
) -> None:
    """A workflow step as ``disclosure.review.workflow`` records it (state, version, transition),
    by a named sample person (no account), without storing the approval's files: an approved
    report's files are rendered and stored at its first download."""
    source = report.status
    report.status, report.version = target, report.version + 1
    report.save(update_fields=["status", "version", "updated_at"])
    Transition.objects.create(
        report=report,
        action=code,
        from_status=source,
        to_status=target,
        actor_name=actor,
        comment=comment,
        target=cell,
        version=report.version,
    )


def _imported(report: AnnualReport) -> None:
    """Approved as an import of the published report would store it."""
    report.status = Status.APPROVED
    report.source = f"{report.agency.name}{report.year}年政府信息公开工作年度报告（示例）"
    report.save(update_fields=["status", "source", "updated_at"])
    Transition.objects.create(
        report=report,
        action=IMPORT,
        from_status="",
        to_status=Status.APPROVED,
        actor_name="import_report 命令",
        comment=f"导入已发布报告“{report.source}”；检查无错误，作为已发布报告存档",
        version=report.version,
    )
