"""Agencies, who works for them, annual reports and the three template tables.

A template table is a model, a template row is a database row (identified by
its row code), a template column is a field: the fields are generated from the
format declarations, so the union of both formats' columns is stored.
Which model field stores each printed cell of either format: see docs/cells.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from disclosure.formats import Kind, format_for_year, table_columns
from disclosure.formats.spec import Format

from .regions import path_of, split_names
from .workflow_spec import EDITABLE_STATUSES, RECORD_STATUS, TRANSITION_CHOICES, Role, Status


class Region(models.Model):
    """A region (行政区划) in the tree 省 › 市 › 县/区 › 乡镇; an office of a region oversees
    the agencies of the region and of every region below it."""

    code = models.CharField(
        "行政区划代码", max_length=64, unique=True, help_text="通常为6位或12位行政区划代码"
    )
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=500, editable=False, db_index=True)
    full_name = models.CharField("全称", max_length=300, editable=False, help_text="如“浙江省温州市鹿城区”")
    deadline_month = models.PositiveSmallIntegerField(
        "内部截止月",
        null=True,
        blank=True,
        help_text="本地区报送上年度报告的内部截止日期（月），留空为1月31日",
    )
    deadline_day = models.PositiveSmallIntegerField("内部截止日", null=True, blank=True)

    class Meta:
        verbose_name = "地区"
        verbose_name_plural = "地区"
        ordering = ["path"]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        """Keeps ``path`` and ``full_name`` (and those below) in step with the parent."""
        old_path, old_name = self.path, self.full_name
        self.path = path_of(self.parent.path if self.parent_id else "", self.code)
        self.full_name = (self.parent.full_name if self.parent_id else "") + self.name
        super().save(*args, **kwargs)
        if (old_path and old_path != self.path) or (old_name and old_name != self.full_name):
            for child in self.children.all():
                child.save()

    def subtree(self):
        """This region and every region below it."""
        return Region.objects.filter(path__startswith=self.path)

    @classmethod
    def from_names(cls, written: str) -> Region | None:
        """The region a written name path denotes ("浙江省温州市鹿城区"), created level by
        level if missing (a created level's code is its written path until a real code
        is loaded). None for an empty name."""
        region, written_path = None, ""
        for name in split_names(written):
            written_path += name
            found = cls.objects.filter(parent=region, name=name).first()
            region = found or cls.objects.create(code=written_path, name=name, parent=region)
        return region


class Agency(models.Model):
    name = models.CharField("机关名称", max_length=100, unique=True)
    region = models.ForeignKey(
        Region,
        verbose_name="所属地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text="政务公开办查看本地区及下级地区的机关",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机关",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    address = models.CharField("通讯地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    website = models.CharField("政府网站", max_length=200, blank=True)
    email = models.CharField("电子邮箱", max_length=100, blank=True)
    level = models.CharField(
        "层级",
        max_length=10,
        choices=[
            ("province", "省级"),
            ("city", "市级（设区的市、自治州）"),
            ("county", "县级"),
            ("township", "乡镇级"),
        ],
        blank=True,
        help_text="用于检查规章（T2-3）：只有国务院部门和省级、设区的市级人民政府可以制定规章",
    )
    is_government = models.BooleanField(
        "人民政府", null=True, blank=True, help_text="是：人民政府；否：政府部门；留空：未知"
    )

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def maker_of_rules(self) -> bool | None:
        """Whether the agency may make 规章 (T2-3); None when its level is not known.

        Governments of provinces and of 设区的市/自治州 may; county and township
        agencies and the departments of a 设区的市 may not. A provincial department
        is left unknown (not below the level the rule names)."""
        if self.level in ("county", "township"):
            return False
        if self.level == "city" and self.is_government is False:
            return False
        if self.level in ("province", "city") and self.is_government:
            return True
        return None


class Membership(models.Model):
    """A user's agency and role. Office users see every agency of their region."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name="机关", null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    region = models.ForeignKey(
        Region,
        verbose_name="管辖地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
        help_text="政务公开办用户：所管辖的地区（含下级地区）",
    )

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="office") & models.Q(region__isnull=False))
                | (~models.Q(role="office") & models.Q(agency__isnull=False)),
                name="membership_scope_required",
                violation_error_message="填报人和审核人必须属于一个机关；政务公开办用户必须填写管辖地区。",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency or self.region}"


# Each narrative part's limit: the longest real reports' sections are a few
# thousand characters; without a limit a 225,000-character paste made every
# PDF render and the approval time out.
NARRATIVE_MAX_CHARS = 30_000


def display_name(user, default: str = "系统") -> str:
    """How pages, comments and the history name a person: the display name, else the log-in name."""
    if user is None or not getattr(user, "is_authenticated", False):
        return default
    return user.get_full_name() or user.get_username()


RECORD_LOCKED = (
    "该报告已审核通过，是法定存档记录，任何途径（包括管理后台）都不能修改或删除；"
    "如确需更正，请由审核人在审核页面“重新打开”后修改并重新审核。"
)


class RecordLocked(PermissionDenied):
    """A change to an approved report (or its table rows) outside the workflow."""

    def __init__(self, message: str = RECORD_LOCKED):
        super().__init__(message)


def stored_as_record(report_id) -> bool:
    """Whether the report is approved as stored now (not as some object in memory says)."""
    return report_id is not None and AnnualReport.objects.filter(pk=report_id, status=RECORD_STATUS).exists()


class AnnualReport(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200, blank=True, help_text="留空则按“机关名称+年度”生成")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    preface = models.TextField("开头说明", blank=True)
    general = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    # The numeric rules' failing counts as the report list shows them, stored at every
    # change of the cells (services.save_values) so an office's dashboard of thousands of
    # agencies reads them instead of re-checking every report; None until first counted.
    error_count = models.PositiveIntegerField("错误数", null=True, blank=True, editable=False)
    warning_count = models.PositiveIntegerField("警告数", null=True, blank=True, editable=False)
    source = models.CharField("来源", max_length=200, blank=True, help_text="导入的已发布报告文件名")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后保存人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="one_report_per_agency_year")]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        """Refuses (``RecordLocked``) to overwrite a report stored as approved, unless
        the review workflow moves it (reopen sets ``_workflow_transition``): this
        holds for every path, the admin's forms and history reverts included."""
        # an old copy (a history record's instance) may say "adding": the pk decides
        if self.pk is not None and not getattr(self, "_workflow_transition", False):
            if stored_as_record(self.pk):
                raise RecordLocked()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def format(self) -> Format:
        return format_for_year(self.year)

    @property
    def display_title(self) -> str:
        return self.title or f"{self.agency.name}{self.year}年政府信息公开工作年度报告"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_record(self) -> bool:
        """Approved: the statutory record, served from the files stored at approval
        and changed by nobody (only the workflow's reopen moves it back to draft)."""
        return self.status == RECORD_STATUS


class TableRow(models.Model):
    report = models.ForeignKey(AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE)
    row_code = models.CharField("行代码", max_length=50)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.report_id} · {self.row_code}"

    def save(self, *args, **kwargs):
        """A row of an approved report is part of the record: refused (``RecordLocked``)."""
        if stored_as_record(self.report_id):
            raise RecordLocked()
        super().save(*args, **kwargs)


def _value_field(column) -> models.Field:
    label = column.full_label or column.label
    if column.kind == Kind.MONEY:
        return models.DecimalField(
            label, max_digits=20, decimal_places=column.decimals, null=True, blank=True
        )
    return models.IntegerField(label, null=True, blank=True)


def _table_model(name: str, table_code: str, verbose_name: str, related_name: str):
    """A model whose fields are the table's columns in every format."""
    meta = type(
        "Meta",
        (),
        {
            "verbose_name": verbose_name,
            "verbose_name_plural": verbose_name,
            "ordering": ["report", "position"],
            "constraints": [
                models.UniqueConstraint(fields=["report", "row_code"], name=f"{table_code}_row_once")
            ],
        },
    )
    attrs = {"__module__": __name__, "Meta": meta, "TABLE": table_code, "history": HistoricalRecords()}
    attrs["report"] = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name=related_name
    )
    for column in table_columns(table_code):
        attrs[column.code] = _value_field(column)
    return type(name, (TableRow,), attrs)


ActiveDisclosureRow = _table_model(
    "ActiveDisclosureRow", "active", "表二 主动公开政府信息情况", "active_rows"
)
ApplicationRow = _table_model(
    "ApplicationRow", "applications", "表三 收到和处理政府信息公开申请情况", "application_rows"
)
AppealRow = _table_model("AppealRow", "appeals", "表四 政府信息公开行政复议、行政诉讼情况", "appeal_rows")

TABLE_MODELS = {m.TABLE: m for m in (ActiveDisclosureRow, ApplicationRow, AppealRow)}


class Transition(models.Model):
    """One step of the report's record: who moved it from which state to which,
    and why (the workflow's actions, and imports of published reports).

    Moved here from the review app (its table keeps its name): the record
    belongs to the report, and the reports services record imports too."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField("操作", max_length=20, choices=TRANSITION_CHOICES)
    from_status = models.CharField(
        "原状态", max_length=20, choices=Status.choices, blank=True, help_text="新导入的报告为空"
    )
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=150, help_text="显示名称；用户删除后仍保留")
    comment = models.TextField("意见", blank=True)
    target = models.CharField(
        "意见针对",
        max_length=100,
        blank=True,
        help_text="意见所针对的章节（字段名）或单元格（表.行.列）；空为整份报告",
    )
    version = models.PositiveIntegerField("操作后版本")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        db_table = "review_transition"
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.report_id} · {self.get_action_display()} · {self.actor_name}"

    @property
    def target_label(self) -> str:
        """What the comment is about, as printed: a section heading or a cell's labels."""
        return comment_target_label(self.report.format, self.target)


def comment_targets(fmt: Format) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a reviewer may attach a comment to: the narrative sections, then each
    table's input cells, grouped for a select box as (group label, [(value, label)])."""
    groups = [("章节", [(n.code, n.heading) for n in fmt.narratives])]
    for table in fmt.tables:
        keys = [k for k in fmt.input_keys() if k.startswith(f"{table.code}.")]
        groups.append((table.heading, [(k, fmt.cell_label(k)) for k in keys]))
    return groups


def comment_target_label(fmt: Format, target: str) -> str:
    for _, choices in comment_targets(fmt):
        for value, label in choices:
            if value == target:
                return label
    return ""


class Explanation(models.Model):
    """The clerk's reason for a warning that stands (e.g. "2023年开展规范性文件清理，
    重新核定现行有效件数"): a warning must be resolved or explained before the report
    is submitted. Kept with the report's record, in its history, and read-only once
    the report is approved."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="explanations"
    )
    check_id = models.CharField(
        "检查项", max_length=200, help_text="警告的检查编号，如 T2-1:active.regulations.in_force"
    )
    text = models.TextField("说明")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="说明人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("说明时间", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "警告说明"
        verbose_name_plural = "警告说明"
        ordering = ["report", "check_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "check_id"], name="one_explanation_per_check")
        ]

    def __str__(self):
        return f"{self.report_id} · {self.check_id}"

    def save(self, *args, **kwargs):
        """Part of the record: refused (``RecordLocked``) once the report is approved."""
        if stored_as_record(self.report_id):
            raise RecordLocked()
        super().save(*args, **kwargs)


class PendingUpload(models.Model):
    """A published report a clerk uploaded to start from (上传上年度已发布的报告), kept
    between the preview and 保存: in the database, because the two requests may be
    served by different web servers (not the session, not a local disk). Deleted when
    saved or replaced by the same user's next upload; older than a day, it is expired
    and removed (``upload_start.PENDING_LIFETIME``)."""

    token = models.UUIDField("标识", default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE, related_name="+"
    )
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("文件名", max_length=255)
    content = models.BinaryField("文件内容")
    created_at = models.DateTimeField("上传时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "待保存的上传报告"
        verbose_name_plural = "待保存的上传报告"

    def __str__(self):
        return f"{self.name} · {self.created_at:%Y-%m-%d %H:%M}"
