"""Loading regions and agencies from CSV files, so an office sets up hundreds of
agencies at once (the ``load_regions`` and ``load_agencies`` commands; an upload
page may call the same functions).

A file is UTF-8 (with or without BOM) or GBK (what Excel on Chinese Windows saves),
with a header row naming the columns. Every row is checked before anything is
written: every problem is listed with its line number, in Chinese, and when there
is any the database is left as it was (``LoadRefused``). Otherwise the whole file
is written in one transaction; rows already in the database (regions by code,
agencies by name) are updated, so loading the same file again changes nothing.

Parents may come after their children in a file: a parent is looked for in the
file first, then in the database; cycles are refused."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from .models import Agency, Region

REGION_COLUMNS = {"code": "代码", "name": "名称", "parent": "上级代码"}
REGION_REQUIRED = ("code", "name")

AGENCY_COLUMNS = {
    "name": "机关名称",
    "region": "地区代码",
    "level": "层级",
    "is_government": "是否人民政府",
    "parent": "上级机关",
    "address": "地址",
    "postcode": "邮编",
    "phone": "电话",
    "website": "网站",
    "email": "邮箱",
}
AGENCY_REQUIRED = ("name", "region")
CONTACT_FIELDS = ("address", "postcode", "phone", "website", "email")
LEVELS = {"省级": "province", "市级": "city", "县级": "county", "乡镇级": "township", "": ""}
GOVERNMENT = {"是": True, "否": False, "": None}


class LoadRefused(Exception):
    """The file has problems; ``problems`` lists each (nothing was written)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0

    def summary(self, noun: str) -> str:
        return (
            f"共{self.rows}行：新建{self.created}个{noun}，更新{self.updated}个{noun}，"
            f"{self.unchanged}个{noun}无变化。"
        )


@dataclass
class _Row:
    line: int
    values: dict = field(default_factory=dict)


# ------------------------------------------------------------------ reading


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM is dropped) or else GBK (read as GB18030,
    its superset). ``LoadRefused`` when it is neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise LoadRefused(["文件编码无法识别：请保存为UTF-8或GBK编码的CSV文件。"]) from None


def read_rows(
    data: bytes | str, columns: dict[str, str], required: tuple[str, ...]
) -> tuple[list[_Row], list[str]]:
    """The file's rows (field → stripped text, only the columns the header names) and
    the problems of its header. Blank rows are skipped; line numbers count from 1 (the header)."""
    text = decode(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return [], ["文件为空：第1行应为表头（" + "，".join(columns.values()) + "）。"]
    names = [h.strip().lstrip("\ufeff") for h in header]
    by_label = {label: key for key, label in columns.items()}
    index = {by_label[n]: i for i, n in enumerate(names) if n in by_label}
    missing = [columns[k] for k in required if k not in index]
    if missing:
        return [], [f"第1行：表头缺少列“{'”“'.join(missing)}”（应为：{'，'.join(columns.values())}）。"]
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        values = {key: (cells[i].strip() if i < len(cells) else "") for key, i in index.items()}
        rows.append(_Row(reader.line_num, values))
    return rows, []


def _too_long(row: _Row, model, fields: dict[str, str], columns: dict[str, str]) -> list[str]:
    problems = []
    for key, field_name in fields.items():
        limit = model._meta.get_field(field_name).max_length
        value = row.values.get(key, "")
        if limit and len(value) > limit:
            shown = value if len(value) <= 20 else value[:20] + "…"
            problems.append(f"第{row.line}行：{columns[key]}“{shown}”太长（{len(value)}字，最多{limit}字）。")
    return problems


def _cycles(rows: list[_Row], parent_of: dict[str, str], label: str) -> list[str]:
    """A problem for each row whose chain of parents comes back to itself."""
    problems = []
    for row in rows:
        start = row.values["_key"]
        seen, current = set(), start
        while current:
            current = parent_of.get(current, "")
            if current == start:
                problems.append(
                    f"第{row.line}行：{label}“{start}”的上级关系形成循环（上级的上级最终又是它自己）。"
                )
                break
            if current in seen:
                break  # a cycle further up: reported at its own rows
            seen.add(current)
    return problems


def _duplicates(rows: list[_Row], label: str) -> list[str]:
    first: dict[str, int] = {}
    problems = []
    for row in rows:
        key = row.values["_key"]
        if not key:
            continue
        if key in first:
            problems.append(f"第{row.line}行：{label}“{key}”重复（第{first[key]}行已有）。")
        else:
            first[key] = row.line
    return problems


def _in_parent_order(rows: list[_Row], parent_of: dict[str, str]) -> list[_Row]:
    """Rows with every parent of the file before its children (no cycles here)."""
    by_key = {r.values["_key"]: r for r in rows}
    ordered, done = [], set()

    def visit(row):
        if row.values["_key"] in done:
            return
        parent = by_key.get(parent_of.get(row.values["_key"], ""))
        if parent is not None:
            visit(parent)
        done.add(row.values["_key"])
        ordered.append(row)

    for row in rows:
        visit(row)
    return ordered


# ------------------------------------------------------------------ regions


def check_regions(data: bytes | str) -> tuple[list[_Row], list[str]]:
    """The rows of a regions file and every problem found (nothing is written)."""
    rows, problems = read_rows(data, REGION_COLUMNS, REGION_REQUIRED)
    if problems:
        return rows, problems
    for row in rows:
        row.values["_key"] = row.values["code"]
        row.values.setdefault("parent", "")
    problems += _duplicates(rows, "代码")
    in_file = {r.values["code"] for r in rows}
    stored = dict(Region.objects.values_list("code", "parent__code"))
    for row in rows:
        code, name, parent = row.values["code"], row.values["name"], row.values["parent"]
        if not code:
            problems.append(f"第{row.line}行：缺少代码。")
        elif "/" in code:
            problems.append(f"第{row.line}行：代码“{code}”不能包含“/”。")
        if not name:
            problems.append(f"第{row.line}行：缺少名称。")
        problems += _too_long(row, Region, {"code": "code", "name": "name"}, REGION_COLUMNS)
        if parent and parent == code:
            continue  # reported as a cycle
        if parent and parent not in in_file and parent not in stored:
            problems.append(f"第{row.line}行：上级代码“{parent}”不存在（文件中和系统中都没有这个地区）。")
    parent_of = {code: parent or "" for code, parent in stored.items()}
    parent_of.update({r.values["code"]: r.values["parent"] for r in rows})
    problems += _cycles(rows, parent_of, "地区")
    return rows, _sorted(problems)


@transaction.atomic
def load_regions(data: bytes | str) -> LoadResult:
    """Create or update (by code) every region of the file, parents first; ``LoadRefused``
    with every problem when any row is bad (then nothing is written).

    A region the system created from a written name (its code is its written path, e.g.
    "浙江省温州市") takes the file's code when the file has a region of the same name under
    the same parent, so agencies already placed there keep their region."""
    rows, problems = check_regions(data)
    if problems:
        raise LoadRefused(problems)
    parent_of = {r.values["code"]: r.values["parent"] for r in rows}
    result = LoadResult(rows=len(rows))
    for row in _in_parent_order(rows, parent_of):
        code, name, parent_code = row.values["code"], row.values["name"], row.values["parent"]
        parent = Region.objects.get(code=parent_code) if parent_code else None
        region = Region.objects.filter(code=code).first()
        if region is None:
            written = (parent.full_name if parent else "") + name
            region = Region.objects.filter(parent=parent, name=name, code=written).first()
        if region is None:
            Region.objects.create(code=code, name=name, parent=parent)
            result.created += 1
        elif (region.code, region.name, region.parent_id) != (code, name, parent.pk if parent else None):
            region.code, region.name, region.parent = code, name, parent
            region.save()
            result.updated += 1
        else:
            result.unchanged += 1
    return result


# ------------------------------------------------------------------ agencies


def check_agencies(data: bytes | str) -> tuple[list[_Row], list[str]]:
    """The rows of an agencies file and every problem found (nothing is written)."""
    rows, problems = read_rows(data, AGENCY_COLUMNS, AGENCY_REQUIRED)
    if problems:
        return rows, problems
    for row in rows:
        row.values["_key"] = row.values["name"]
    problems += _duplicates(rows, "机关名称")
    in_file = {r.values["name"] for r in rows}
    regions = set(Region.objects.values_list("code", flat=True))
    stored = dict(Agency.objects.values_list("name", "parent__name"))
    lengths = {"name": "name", **{f: f for f in CONTACT_FIELDS}}
    for row in rows:
        values, line = row.values, row.line
        if not values["name"]:
            problems.append(f"第{line}行：缺少机关名称。")
        if not values["region"]:
            problems.append(f"第{line}行：缺少地区代码。")
        elif values["region"] not in regions:
            problems.append(f"第{line}行：地区代码“{values['region']}”不存在，请先用 load_regions 导入地区。")
        level = values.get("level", "")
        if level not in LEVELS:
            problems.append(f"第{line}行：层级“{level}”无法识别（应为省级、市级、县级、乡镇级或留空）。")
        government = values.get("is_government", "")
        if government not in GOVERNMENT:
            problems.append(f"第{line}行：是否人民政府“{government}”无法识别（应为是、否或留空）。")
        problems += _too_long(row, Agency, lengths, AGENCY_COLUMNS)
        parent = values.get("parent", "")
        if parent and parent != values["name"] and parent not in in_file and parent not in stored:
            problems.append(f"第{line}行：上级机关“{parent}”不存在（文件中和系统中都没有这个机关）。")
    parent_of = {name: parent or "" for name, parent in stored.items()}
    parent_of.update({r.values["name"]: r.values.get("parent", "") for r in rows})
    problems += _cycles(rows, parent_of, "机关")
    return rows, _sorted(problems)


@transaction.atomic
def load_agencies(data: bytes | str) -> LoadResult:
    """Create or update (by name) every agency of the file; ``LoadRefused`` with every
    problem when any row is bad (then nothing is written). A column the file does not
    have leaves that detail of an existing agency as it is."""
    rows, problems = check_agencies(data)
    if problems:
        raise LoadRefused(problems)
    regions = {r.code: r for r in Region.objects.filter(code__in={row.values["region"] for row in rows})}
    agencies = {a.name: a for a in Agency.objects.filter(name__in={row.values["name"] for row in rows})}
    result = LoadResult(rows=len(rows))
    parent_of = {r.values["name"]: r.values.get("parent", "") for r in rows}
    for row in _in_parent_order(rows, parent_of):
        values = row.values
        wanted = {"region": regions[values["region"]]}
        if "level" in values:
            wanted["level"] = LEVELS[values["level"]]
        if "is_government" in values:
            wanted["is_government"] = GOVERNMENT[values["is_government"]]
        if "parent" in values:
            parent = values["parent"]
            wanted["parent"] = (agencies.get(parent) or Agency.objects.get(name=parent)) if parent else None
        wanted.update({f: values[f] for f in CONTACT_FIELDS if f in values})
        agency = agencies.get(values["name"])
        if agency is None:
            agencies[values["name"]] = Agency.objects.create(name=values["name"], **wanted)
            result.created += 1
            continue
        changed = [f for f, v in wanted.items() if getattr(agency, f) != v]
        if changed:
            for f in changed:
                setattr(agency, f, wanted[f])
            agency.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
    return result


def _sorted(problems: list[str]) -> list[str]:
    """Problems in line order (each starts with 第N行), stable within a line."""

    def line(problem: str) -> int:
        digits = problem[1 : problem.find("行")]
        return int(digits) if digits.isdigit() else 0

    return sorted(problems, key=line)
