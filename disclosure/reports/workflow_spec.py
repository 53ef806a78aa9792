"""The report's states and the workflow actions, declared once, as data.

Each action says who may take it (a role within the report's agency), from
which states to which, whether its form asks for a comment (and whether the
comment is required), the prompt of that comment box, the message shown when
a required comment is missing, the success message and the button's style.
``disclosure.review`` implements one domain function per action and reads its
permissions, labels and messages from here; ``Transition.action`` takes its
choices from here; templates take the prompts and button styles from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class Role(models.TextChoices):
    CLERK = "clerk", "填报人"
    REVIEWER = "reviewer", "审核人"
    OFFICE = "office", "政务公开办"


# States in which the clerks may change the content.
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
# The state in which the report is the statutory record: nothing may change it.
RECORD_STATUS = Status.APPROVED


@dataclass(frozen=True)
class Action:
    code: str
    label: str  # the verb as the buttons and the history print it
    role: str  # Role that may take it, within the report's agency
    sources: tuple[str, ...]  # states it may be taken from
    target: str  # the state it leads to
    prompt: str  # the label of its comment box
    comment_required: bool
    missing_comment: str  # the refusal when a required comment is empty
    success: str  # shown after it was taken
    button: str  # Bootstrap button class
    failure_page: str  # the URL name the user goes back to when it is refused


ACTIONS: tuple[Action, ...] = (
    Action(
        "submit",
        "提交审核",
        Role.CLERK,
        (Status.DRAFT, Status.RETURNED),
        Status.SUBMITTED,
        prompt="说明（可选）",
        comment_required=False,
        missing_comment="",
        success="报告已提交审核。",
        button="btn-primary",
        failure_page="reports:edit",
    ),
    Action(
        "withdraw",
        "撤回",
        Role.CLERK,
        (Status.SUBMITTED,),
        Status.DRAFT,
        prompt="撤回原因（可选）",
        comment_required=False,
        missing_comment="",
        success="报告已撤回为草稿，可以继续修改后重新提交。",
        button="btn-outline-secondary",
        failure_page="reports:detail",
    ),
    Action(
        "approve",
        "审核通过",
        Role.REVIEWER,
        (Status.SUBMITTED,),
        Status.APPROVED,
        prompt="审核意见（可选）",
        comment_required=False,
        missing_comment="",
        success="报告已审核通过，可发布的PDF和HTML文件正在后台生成并存档，稍后即可下载。",
        button="btn-primary",
        failure_page="review:review",
    ),
    Action(
        "return",
        "退回修改",
        Role.REVIEWER,
        (Status.SUBMITTED,),
        Status.RETURNED,
        prompt="退回意见（必填）",
        comment_required=True,
        missing_comment="退回时必须填写意见，说明需要修改的内容。",
        success="报告已退回填报人修改。",
        button="btn-outline-danger",
        failure_page="review:review",
    ),
    Action(
        "reopen",
        "重新打开",
        Role.REVIEWER,
        (Status.APPROVED,),
        Status.DRAFT,
        prompt="重新打开的原因（必填）",
        comment_required=True,
        missing_comment="重新打开时必须填写原因。",
        success="报告已重新打开为草稿。",
        button="btn-outline-danger",
        failure_page="review:review",
    ),
)
ACTIONS_BY_CODE = {a.code: a for a in ACTIONS}

# Importing a published report is recorded like a transition, but it is no
# action a user takes in the workflow (the importer's command or upload does).
IMPORT = "import"
IMPORT_LABEL = "导入已发布报告"
TRANSITION_CHOICES = [(a.code, a.label) for a in ACTIONS] + [(IMPORT, IMPORT_LABEL)]


def action(code: str) -> Action:
    return ACTIONS_BY_CODE[code]


def target_status(status: str, code: str) -> str | None:
    """The state action ``code`` leads to from ``status``, or None when not allowed."""
    declared = ACTIONS_BY_CODE[code]
    return declared.target if status in declared.sources else None
