"""python manage.py build_demo: regenerate fixtures/demo.json.

The five published sample reports are imported by the importer into a fresh
temporary SQLite database (a child process, so the real database is never
touched), the demo users are added, and the result is dumped. The numbers in
the fixture are therefore exactly what the importer reads from the texts."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from disclosure.importers.text import parse_report_file
from disclosure.reports.models import Agency, AnnualReport, Membership, Region, Role
from disclosure.reports.record import save_import

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
        self._users()
        call_command("dumpdata", *DUMPED, indent=1, output=str(output), verbosity=0)
        reports = AnnualReport.objects.count()
        self.stdout.write(
            f"已写入 {output}：{Agency.objects.count()} 个机关、{reports} 份报告、{len(USERS) + 1} 个账号"
        )

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
