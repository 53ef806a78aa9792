"""Agencies, who works for them, annual reports and the three template tables.

A template table is a model, a template row is a database row (identified by
its row code), a template column is a field: the fields are generated from the
format declarations, so the union of both formats' columns is stored.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from disclosure.formats import Kind, format_for_year, table_columns
from disclosure.formats.spec import Format


class Agency(models.Model):
    name = models.CharField("机关名称", max_length=100, unique=True)
    region = models.CharField(
        "所属地区", max_length=100, blank=True, help_text="如“浙江省温州市鹿城区”；政务公开办按地区前缀查看"
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

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["region", "name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    CLERK = "clerk", "填报人"
    REVIEWER = "reviewer", "审核人"
    OFFICE = "office", "政务公开办"


class Membership(models.Model):
    """A user's agency and role. Office users see every agency of their region."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, verbose_name="机关", null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    region = models.CharField(
        "管辖地区", max_length=100, blank=True, help_text="政务公开办用户：所管辖地区的前缀"
    )

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="office") & ~models.Q(region=""))
                | (~models.Q(role="office") & models.Q(agency__isnull=False)),
                name="membership_scope_required",
                violation_error_message="填报人和审核人必须属于一个机关；政务公开办用户必须填写管辖地区。",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency or self.region}"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


# Allowed transitions, as data: (from, action, to). The review app implements
# one domain function per action.
TRANSITIONS = (
    (Status.DRAFT, "submit", Status.SUBMITTED),
    (Status.RETURNED, "submit", Status.SUBMITTED),
    (Status.SUBMITTED, "approve", Status.APPROVED),
    (Status.SUBMITTED, "return", Status.RETURNED),
    (Status.APPROVED, "reopen", Status.DRAFT),
)
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


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


class TableRow(models.Model):
    report = models.ForeignKey(AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE)
    row_code = models.CharField("行代码", max_length=50)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.report_id} · {self.row_code}"


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
