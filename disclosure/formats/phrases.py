"""Narrative ↔ table checks, declared as data (T3-6, T2-5 of the domain notes).

A narrative check recognises a sentence of a report's text that states a
quantity the tables also hold ("全年共收到政府信息公开申请52件"), names the cell
or sum of cells it refers to (per format: the 2019 and 2021 表二 differ) and
how the two are compared. ``narrative.py`` evaluates these declarations in
Python, ``static/disclosure/js/narrative.js`` evaluates ``phrases_json`` in the
browser with the same semantics.

How a phrase is matched (shared by both engines):

- the text is cut into sentences (。！？!? and line breaks) and each sentence into
  clauses (，,；;：:（）() — not 、);
- a *token* is a number with a counting word (``TOKEN``): 52件, 近50件, 两百余条,
  1,234件, 50至60件, 83.5%, 5949.09万元; a number preceded by 第 or an ASCII
  letter, digit, dot, slash or hyphen is no token (第二十条, URLs);
- for every token the *context* is the clause text before it (at most
  ``LEAD_CHARS``), ``#`` for the token, and the clause text after it up to the
  next list separator (``TAIL_END``, at most ``TAIL_CHARS``); every other token is masked with ``§``, so a gap written
  ``[^#§]{0,n}`` never crosses another number;
- the checks are tried in the declared order; the first whose kind accepts the
  token's unit and one of whose phrases matches claims the token (a token is
  compared with one table quantity at most);
- a phrase matches when ``pattern`` is found in the context, ``exclude`` is not
  found in the context, ``sentence`` (if any) is found in the sentence and
  ``sentence_not`` (if any) is not;
- a claimed token is compared only when its scope is the report year's whole
  agency (``SCOPE``); otherwise it is silently dropped.

Every regex here is written in the common subset of Python ``re`` and
JavaScript ``RegExp`` (no ``\\d``/``\\s``, no named groups, no lookbehind) and
has bounded quantifiers only, so matching stays linear in the text length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import FORMATS
from .spec import Format, Severity, cell_key

# ------------------------------------------------------------------ tokens

_ARABIC = r"[0-9]{1,12}(?:,[0-9]{3}){0,4}(?:\.[0-9]{1,6})?"
_CHINESE = r"[零〇一二两三四五六七八九十百千万]{1,12}"
_NUMBER = f"(?:{_ARABIC}|{_CHINESE})"

# groups: 1 approximation before, 2 number, 3 range end, 4 multiplier,
# 5 余/多, 6 unit, 7 approximation after
TOKEN = (
    r"(近|将近|接近|约|大约|超过|逾|多于|不足|不到|少于)?"
    f"({_NUMBER})"
    f"(?:[-~～—至到]({_NUMBER}))?"
    r"(万(?!元)|千)?"
    r"(余|多)?"
    r"(万元|元|件|条|宗|个|次|份|项|起|%|％)"
    r"(以上|左右|上下|之多)?"
)
# a token preceded by one of these characters is part of something else
NOT_BEFORE = "第0123456789.．/\\-_:：#=&?〔[abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

COUNT_UNITS = ("件", "条", "宗", "个", "次", "份", "项", "起")
MONEY_UNITS = ("元", "万元")
PERCENT_UNITS = ("%", "％")

SENTENCE_END = "。！？!?\n"
CLAUSE_END = "，,；;：:（）()"
TAIL_END = CLAUSE_END + "、和及与"  # the context after a token stops at the next list item
LEAD_CHARS = 60
TAIL_CHARS = 20
PREFIX_CHARS = 200

# ------------------------------------------------------------------ scope

SCOPE = {
    # removed from the sentence before its scope is judged: the whole year,
    # and comparisons with another year ("较上年", "比2020年")
    "whole_year": (
        r"1月1日(?:起)?(?:至|到|—|-|~|～)(?:[0-9]{4}年)?12月31日"
        r"|1(?:至|到|—|-|~|～)12月|一至十二月|全年|(?:截至|截止到|截止|截至到)(?:[0-9]{4}年)?(?:年底|年末|底|末|12月31日|12月底)"
    ),
    "comparison": r"(?:较|比|与|同)(?:[0-9]{4}年|上一年|上年|去年)(?:度)?(?:同期)?(?:相比)?|结转(?:至|到)?下一?年度?",
    # any of these before the number (in its sentence) puts it out of scope
    "sub_unit": r"局属|下属|所属|直属|二级单位|各科室|各单位|各乡镇|各街道|各部门|系统内|本级以外",
    "period": (
        r"[0-9一二三四五六七八九十]{1,3}月|上半年|下半年|季度|前[0-9一二三四五六七八九十]{1,2}个月"
        r"|截至|截止|累计|历年|以来|迄今|至今|年均|平均|每年|每月"
    ),
    "other_year": r"上一年度|上一年|上年度(?!结转)|上年(?!度|结转|遗留)|去年|前年|往年|明年|来年|下一年|下一?年度|计划",
    "year": r"([0-9]{4})年",
}

# ------------------------------------------------------------------ declarations

_APPLICATION_SCOPE_NOT = (
    r"网上|网络|当面|信函|邮寄|邮件|传真|现场|线上|线下|自然人|法人|企业|组织|机构|公民|个人"
    r"|许可|审批|政务服务|办件|事项|低保|救助|补贴|登记|婚姻|收养|建议|提案|信访|咨询|投诉|举报|热线|来电|留言"
)
_CARRIED_SAID = r"上年结转|上年度结转|上一年度结转|上年遗留|上年度遗留"
_REGULATION = r"规章(?!制度)"
_NORMATIVE = r"(?:行政)?规范性文件"


@dataclass(frozen=True)
class Phrase:
    pattern: str
    exclude: str = ""
    sentence: str = ""
    sentence_not: str = ""

    def as_json(self) -> dict:
        return {
            "pattern": self.pattern,
            "exclude": self.exclude,
            "sentence": self.sentence,
            "sentence_not": self.sentence_not,
        }


@dataclass(frozen=True)
class NarrativeCheck:
    """One narrative check.

    kind: ``count`` (a number of 件/条/…), ``money`` (元/万元, the cell in
    ``cell_unit``), ``percent`` (100 × numerator ÷ denominator), ``share``
    (a percentage of the previous count in the same sentence: "其中予以公开31件，
    占60%"), ``change`` (同比/较上年 增减 of the previous count in the same
    sentence, from the previous year's report), ``claim`` (a sentence saying
    that some cells are all zero: "全部维持" — ``cells`` by topic must be 0).

    ``cells``: format code → the cell keys summed (the numerator of a
    percentage); a format without an entry has no such check. ``also``: other
    sums that the wording may equally mean (the check holds when any holds).
    ``topic``: for 维持/纠正/尚未审结, which of 行政复议 (``review``) or
    行政诉讼 (``litigation``) the sentence is about selects the cells.
    """

    id: str
    name: str
    kind: str
    label: str
    phrases: tuple[Phrase, ...]
    cells: dict[str, tuple[str, ...]] = field(default_factory=dict)
    also: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    denominator: dict[str, tuple[str, ...]] = field(default_factory=dict)
    share_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topics: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    cell_unit: str = ""
    severity: Severity = Severity.WARNING

    def applies_to(self, fmt: str) -> bool:
        return fmt in self.cells or fmt in self.topics

    def as_json(self, fmt: str) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "label": self.label,
            "severity": self.severity.value,
            "phrases": [p.as_json() for p in self.phrases],
            "cells": list(self.cells.get(fmt, ())),
            "also": [list(a) for a in self.also.get(fmt, ())],
            "denominator": list(self.denominator.get(fmt, ())),
            "share_of": list(self.share_of.get(fmt, ())),
            "topics": {k: list(v) for k, v in self.topics.get(fmt, {}).items()},
            "cell_unit": self.cell_unit,
        }


def _app(fmt: Format, *rows: str) -> tuple[str, ...]:
    return tuple(cell_key("applications", r, "total") for r in rows)


def _app_prefix(fmt: Format, prefix: str) -> tuple[str, ...]:
    return tuple(
        cell_key("applications", row.code, "total")
        for _, row in fmt.table("applications").rows()
        if row.code.startswith(prefix)
    )


def _appeal(*columns: str) -> tuple[str, ...]:
    return tuple(cell_key("appeals", "cases", c) for c in columns)


def _both(build) -> dict[str, tuple[str, ...]]:
    return {code: build(fmt) for code, fmt in FORMATS.items()}


def _active(row: str, column: str) -> tuple[str, ...]:
    return (cell_key("active", row, column),)


_REVIEW_NOT_UPHELD = _appeal("review_corrected", "review_other", "review_pending")
_LITIGATION_NOT_UPHELD = _appeal(
    "direct_corrected",
    "direct_other",
    "direct_pending",
    "after_review_corrected",
    "after_review_other",
    "after_review_pending",
)
_TOTAL_RESULTS = _both(lambda f: _app(f, "results_total"))
_RECEIVED = _both(lambda f: _app(f, "new", "carried_over"))


def _issued(noun: str, verbs: str) -> tuple[Phrase, ...]:
    return (
        Phrase(
            f"(?:{verbs})[^#§]{{0,8}}{noun}[^#§]{{0,4}}#", exclude=r"废止|现行有效|清理|修订|修改|各|分别"
        ),
        Phrase(
            f"(?:{verbs})[^#§]{{0,4}}#[^#§]{{0,2}}{noun}", exclude=r"废止|现行有效|清理|修订|修改|各|分别"
        ),
    )


def _declare() -> tuple[NarrativeCheck, ...]:
    withheld = _both(lambda f: _app_prefix(f, "withheld_"))
    return (
        NarrativeCheck(
            "N-2",
            "新收及上年结转申请",
            "count",
            '表三"本年新收"与"上年结转"政府信息公开申请数量之和',
            (
                Phrase(
                    r"(?:收到|接到|受理|接收|办理)[^#§]{0,14}申请[^#§]{0,6}#",
                    exclude=_APPLICATION_SCOPE_NOT,
                    sentence=_CARRIED_SAID,
                ),
                Phrase(r"新收[^#§]{0,10}(?:和|及|与|加|、)上年(?:度)?结转[^#§]{0,8}#"),
            ),
            cells=_RECEIVED,
        ),
        NarrativeCheck(
            "N-3",
            "上年结转申请",
            "count",
            '表三"上年结转政府信息公开申请数量"',
            (Phrase(r"(?:上年|上年度|上一年度)(?:结转|遗留)[^#§]{0,8}#", exclude=r"下年|下一年"),),
            cells=_both(lambda f: _app(f, "carried_over")),
        ),
        NarrativeCheck(
            "N-1",
            "收到申请",
            "count",
            '表三"本年新收政府信息公开申请数量"',
            (
                Phrase(
                    r"(?:新收|新受理|新接收)[^#§]{0,14}#",
                    exclude=_APPLICATION_SCOPE_NOT + "|结转",
                    sentence=r"申请",
                ),
                Phrase(
                    r"(?:收到|接到|受理|接收|收悉)[^#§]{0,14}申请[^#§]{0,6}#",
                    exclude=_APPLICATION_SCOPE_NOT,
                    sentence=r"公开",
                    sentence_not=_CARRIED_SAID,
                ),
                Phrase(
                    r"(?:收到|接到|受理|接收)[^#§]{0,4}#[^#§]{0,10}申请",
                    exclude=_APPLICATION_SCOPE_NOT,
                    sentence=r"公开",
                    sentence_not=_CARRIED_SAID,
                ),
            ),
            cells=_both(lambda f: _app(f, "new")),
            also={code: (cells,) for code, cells in _RECEIVED.items()},
        ),
        NarrativeCheck(
            "N-11",
            "结转下年度",
            "count",
            '表三"结转下年度继续办理"',
            (Phrase(r"结转(?:至|到)?下(?:一)?年(?:度)?[^#§]{0,8}#"),),
            cells=_both(lambda f: _app(f, "carried_forward")),
        ),
        NarrativeCheck(
            "N-5",
            "予以公开及部分公开",
            "count",
            '表三"予以公开"与"部分公开"之和',
            (
                Phrase(
                    r"(?:予以公开(?:及|和|与|、|或)部分公开|部分公开(?:及|和|与|、)予以公开|全部或部分(?:予以)?公开|全部和部分(?:予以)?公开)[^#§]{0,8}#",
                    sentence=r"申请",
                ),
            ),
            cells=_both(lambda f: _app(f, "granted", "partial")),
            share_of=_TOTAL_RESULTS,
        ),
        NarrativeCheck(
            "N-6",
            "予以公开",
            "count",
            '表三"予以公开"',
            (
                Phrase(
                    r"(?:予以公开|同意公开|全部公开)[^#§]{0,6}#", exclude=r"部分|不予|主动", sentence=r"申请"
                ),
            ),
            cells=_both(lambda f: _app(f, "granted")),
            share_of=_TOTAL_RESULTS,
        ),
        NarrativeCheck(
            "N-7",
            "部分公开",
            "count",
            '表三"部分公开"',
            (Phrase(r"部分公开[^#§]{0,6}#", sentence=r"申请"),),
            cells=_both(lambda f: _app(f, "partial")),
            share_of=_TOTAL_RESULTS,
        ),
        NarrativeCheck(
            "N-8",
            "不予公开",
            "count",
            '表三"不予公开"各项之和',
            (Phrase(r"不予(?:以)?公开[^#§]{0,6}#", sentence=r"申请"),),
            cells=withheld,
            share_of=_TOTAL_RESULTS,
        ),
        NarrativeCheck(
            "N-9",
            "无法提供",
            "count",
            '表三"无法提供"各项之和',
            (Phrase(r"无法提供[^#§]{0,6}#", sentence=r"申请"),),
            cells=_both(lambda f: _app_prefix(f, "unable_")),
            share_of=_TOTAL_RESULTS,
        ),
        NarrativeCheck(
            "N-10",
            "不予处理",
            "count",
            '表三"不予处理"各项之和',
            (Phrase(r"不予处理[^#§]{0,6}#", sentence=r"申请"),),
            cells=_both(lambda f: _app_prefix(f, "ignored_")),
            share_of=_TOTAL_RESULTS,
        ),
        NarrativeCheck(
            "N-4",
            "办结申请",
            "count",
            '表三"本年度办理结果"总计',
            (
                Phrase(
                    r"(?:办结|办理完毕|办理完结|答复|处理完毕)[^#§]{0,10}#",
                    exclude=r"按时|按期|逾期|超期|行政复议|诉讼|下年|结转|率|" + _APPLICATION_SCOPE_NOT,
                    sentence=r"申请",
                ),
                Phrase(
                    r"办理[^#§]{0,8}申请[^#§]{0,6}#",
                    exclude=r"按时|按期|逾期|超期|行政复议|诉讼|下年|结转|" + _APPLICATION_SCOPE_NOT,
                    sentence=r"公开",
                ),
            ),
            cells=_TOTAL_RESULTS,
            also={code: (cells,) for code, cells in _RECEIVED.items()},
        ),
        NarrativeCheck(
            "N-12",
            "制发规章",
            "count",
            '表二"规章"本年制发件数',
            _issued(_REGULATION, "制发|印发|出台|制定|新制定|发布|制作"),
            cells={"gov2019": _active("regulations", "made"), "gov2021": _active("regulations", "issued")},
            also={"gov2019": (_active("regulations", "published"),)},
        ),
        NarrativeCheck(
            "N-13",
            "制发行政规范性文件",
            "count",
            '表二"行政规范性文件"本年制发件数',
            _issued(_NORMATIVE, "制发|印发|出台|制定|新制定|发布|制作"),
            cells={
                "gov2019": _active("normative_documents", "made"),
                "gov2021": _active("normative_documents", "issued"),
            },
            also={"gov2019": (_active("normative_documents", "published"),)},
        ),
        NarrativeCheck(
            "N-14",
            "废止规章",
            "count",
            '表二"规章"本年废止件数',
            (
                Phrase(f"废止[^#§]{{0,6}}{_REGULATION}[^#§]{{0,4}}#"),
                Phrase(f"废止[^#§]{{0,4}}#[^#§]{{0,2}}{_REGULATION}"),
                Phrase(f"{_REGULATION}[^#§]{{0,4}}废止[^#§]{{0,4}}#"),
            ),
            cells={"gov2021": _active("regulations", "repealed")},
        ),
        NarrativeCheck(
            "N-15",
            "废止行政规范性文件",
            "count",
            '表二"行政规范性文件"本年废止件数',
            (
                Phrase(f"废止[^#§]{{0,6}}{_NORMATIVE}[^#§]{{0,4}}#"),
                Phrase(f"废止[^#§]{{0,4}}#[^#§]{{0,2}}{_NORMATIVE}"),
                Phrase(f"{_NORMATIVE}[^#§]{{0,4}}废止[^#§]{{0,4}}#"),
            ),
            cells={"gov2021": _active("normative_documents", "repealed")},
        ),
        NarrativeCheck(
            "N-16",
            "现行有效规章",
            "count",
            '表二"规章"现行有效件数',
            (
                Phrase(f"现行有效[^#§]{{0,6}}{_REGULATION}[^#§]{{0,4}}#"),
                Phrase(f"{_REGULATION}[^#§]{{0,6}}现行有效[^#§]{{0,4}}#"),
                Phrase(f"现行有效[^#§]{{0,4}}#[^#§]{{0,2}}{_REGULATION}"),
            ),
            cells={"gov2021": _active("regulations", "in_force")},
        ),
        NarrativeCheck(
            "N-17",
            "现行有效行政规范性文件",
            "count",
            '表二"行政规范性文件"现行有效件数',
            (
                Phrase(f"现行有效[^#§]{{0,6}}{_NORMATIVE}[^#§]{{0,4}}#"),
                Phrase(f"{_NORMATIVE}[^#§]{{0,6}}现行有效[^#§]{{0,4}}#"),
                Phrase(f"现行有效[^#§]{{0,4}}#[^#§]{{0,2}}{_NORMATIVE}"),
            ),
            cells={"gov2021": _active("normative_documents", "in_force")},
        ),
        NarrativeCheck(
            "N-18",
            "主动公开规章",
            "count",
            '表二"规章"本年新公开数量',
            (
                Phrase(f"(?:主动公开|新公开)[^#§]{{0,6}}{_REGULATION}[^#§]{{0,4}}#", exclude=r"各|分别"),
                Phrase(f"(?:主动公开|新公开)[^#§]{{0,4}}#[^#§]{{0,2}}{_REGULATION}", exclude=r"各|分别"),
            ),
            cells={"gov2019": _active("regulations", "published")},
        ),
        NarrativeCheck(
            "N-19",
            "主动公开规范性文件",
            "count",
            '表二"规范性文件"本年新公开数量',
            (
                Phrase(f"(?:主动公开|新公开)[^#§]{{0,6}}{_NORMATIVE}[^#§]{{0,4}}#", exclude=r"各|分别"),
                Phrase(f"(?:主动公开|新公开)[^#§]{{0,4}}#[^#§]{{0,2}}{_NORMATIVE}", exclude=r"各|分别"),
            ),
            cells={"gov2019": _active("normative_documents", "published")},
        ),
        NarrativeCheck(
            "N-20",
            "行政复议和行政诉讼",
            "count",
            "表四行政复议与行政诉讼案件总计之和",
            (
                Phrase(
                    r"复议[^#§]{0,3}(?:和|及|与|、)[^#§]{0,3}诉讼[^#§]{0,6}#",
                    exclude=r"各|分别|维持|纠正|纠错|审结",
                ),
            ),
            cells=_both(lambda f: _appeal("review_total", "direct_total", "after_review_total")),
        ),
        NarrativeCheck(
            "N-21",
            "行政复议",
            "count",
            '表四"行政复议"总计',
            (
                Phrase(
                    r"行政复议[^#§]{0,8}#",
                    exclude=r"诉讼|起诉|各|分别|维持|纠正|纠错|审结|审理|撤销|确认|其他",
                ),
                Phrase(r"(?:提起|申请|发生)[^#§]{0,3}#[^#§]{0,2}行政复议", exclude=r"诉讼|起诉"),
            ),
            cells=_both(lambda f: _appeal("review_total")),
        ),
        NarrativeCheck(
            "N-22",
            "行政诉讼",
            "count",
            '表四"行政诉讼"总计（未经复议直接起诉与复议后起诉之和）',
            (
                Phrase(
                    r"行政诉讼[^#§]{0,8}#",
                    exclude=r"复议(?!后)|各|分别|维持|纠正|纠错|审结|审理|撤销|确认|其他",
                ),
                Phrase(r"(?:提起|发生)[^#§]{0,3}#[^#§]{0,2}行政诉讼", exclude=r"复议"),
            ),
            cells=_both(lambda f: _appeal("direct_total", "after_review_total")),
        ),
        NarrativeCheck(
            "N-23",
            "行政复议、行政诉讼结果维持",
            "count",
            '表四"结果维持"',
            (Phrase(r"(?:结果)?维持[^#§]{0,4}#", exclude=r"纠正|审结"),),
            topics=_both(
                lambda f: {
                    "review": _appeal("review_upheld"),
                    "litigation": _appeal("direct_upheld", "after_review_upheld"),
                }
            ),
        ),
        NarrativeCheck(
            "N-24",
            "行政复议、行政诉讼结果纠正",
            "count",
            '表四"结果纠正"',
            (Phrase(r"(?:被纠正|被纠错|结果纠正|纠正|纠错|撤销|确认违法)[^#§]{0,4}#", exclude=r"维持|审结"),),
            topics=_both(
                lambda f: {
                    "review": _appeal("review_corrected"),
                    "litigation": _appeal("direct_corrected", "after_review_corrected"),
                }
            ),
        ),
        NarrativeCheck(
            "N-25",
            "行政复议、行政诉讼尚未审结",
            "count",
            '表四"尚未审结"',
            (Phrase(r"(?:尚未审结|未审结|正在审理|审理中|尚在审理)[^#§]{0,4}#"),),
            topics=_both(
                lambda f: {
                    "review": _appeal("review_pending"),
                    "litigation": _appeal("direct_pending", "after_review_pending"),
                }
            ),
        ),
        NarrativeCheck(
            "N-26",
            "行政复议、行政诉讼全部维持",
            "claim",
            "表四结果纠正、其他结果与尚未审结",
            (
                Phrase(
                    r"(?:全部|均|都|皆|一律)(?:被|予以|获|得到)?(?:维持|胜诉)|无一(?:被)?(?:纠正|纠错|败诉)|(?:均|都)未被(?:纠正|纠错)|零纠错",
                    sentence=r"复议|诉讼",
                ),
            ),
            topics=_both(lambda f: {"review": _REVIEW_NOT_UPHELD, "litigation": _LITIGATION_NOT_UPHELD}),
        ),
        NarrativeCheck(
            "N-27",
            "行政事业性收费金额",
            "money",
            '表二"行政事业性收费"本年收费金额',
            (
                Phrase(
                    r"(?:行政事业性收费|收费金额)[^#§]{0,8}#",
                    exclude=r"信息处理费",
                    sentence_not=r"信息处理费",
                ),
            ),
            cells={"gov2021": _active("fees", "fee_amount")},
            cell_unit="万元",
        ),
        NarrativeCheck(
            "N-28",
            "政府集中采购项目数量",
            "count",
            '表二"政府集中采购"采购项目数量',
            (Phrase(r"采购[^#§]{0,6}项目[^#§]{0,4}#"), Phrase(r"采购[^#§]{0,2}#[^#§]{0,2}项目")),
            cells={"gov2019": _active("procurement", "purchase_count")},
        ),
        NarrativeCheck(
            "N-29",
            "政府集中采购总金额",
            "money",
            '表二"政府集中采购"采购总金额',
            (
                Phrase(r"采购(?:总)?金额[^#§]{0,6}#"),
                Phrase(r"采购[^#§]{0,12}(?:共计|合计|总计|金额)[^#§]{0,2}#"),
            ),
            cells={"gov2019": _active("procurement", "purchase_amount")},
            cell_unit="元",
        ),
        NarrativeCheck(
            "N-30",
            "公开率",
            "percent",
            '表三"予以公开"占办理结果总计的比例',
            (
                Phrase(
                    r"(?:予以公开|公开)(?:率|比例|比率|占比)[^#§]{0,6}#",
                    exclude=r"部分|不予|主动|电子化|按时|及时|满意",
                    sentence=r"申请",
                ),
            ),
            cells=_both(lambda f: _app(f, "granted")),
            also=_both(lambda f: (_app(f, "granted", "partial"),)),
            denominator=_TOTAL_RESULTS,
        ),
        NarrativeCheck(
            "N-31",
            "办结率",
            "percent",
            '表三"本年度办理结果"总计占收到申请的比例',
            (
                Phrase(
                    r"办结率[^#§]{0,6}#", exclude=r"按时|按期|及时|满意|网上|事项|许可|审批", sentence=r"申请"
                ),
            ),
            cells=_TOTAL_RESULTS,
            denominator=_RECEIVED,
            also={},
        ),
        NarrativeCheck(
            "N-32",
            "占比",
            "share",
            "占办理结果总计的比例",
            (Phrase(r"^[^#§]{0,3}(?:占比|占总数的?|占全部的?|占办结总数的?|占)[^#§]{0,6}#"),),
        ),
        NarrativeCheck(
            "N-33",
            "同比增减",
            "change",
            "较上年",
            (
                Phrase(
                    r"^[^#§]{0,3}(?:同比|较上年度?|比上年度?|较去年|比去年|较上一年度?|较[0-9]{4}年度?|比[0-9]{4}年度?)(?:同期)?(?:相比)?(增长|增加|上升|提高|多|下降|减少|降低|少)了?[^#§]{0,2}#"
                ),
            ),
        ),
    )


CHANGE_UP = ("增长", "增加", "上升", "提高", "多")
CHANGE_DOWN = ("下降", "减少", "降低", "少")

# the topic of 维持/纠正/尚未审结: the last of these words before the number
TOPIC = r"行政复议|行政诉讼|复议后起诉|复议|诉讼|起诉"
TOPIC_OF = {"行政复议": "review", "复议": "review"}  # every other word: litigation

CHECKS: tuple[NarrativeCheck, ...] = _declare()

# how close an approximate or rounded statement must be (see narrative.py)
APPROX_RATIO = 0.1  # 约/左右: within 10 % (at least 1); 近: down to 90 %


def narrative_checks(fmt: str) -> tuple[NarrativeCheck, ...]:
    """The narrative checks that apply to a format (by code), in matching order."""
    return tuple(c for c in CHECKS if c.kind in ("share", "change") or c.applies_to(fmt))


def phrases_json(fmt: str) -> dict:
    """Everything the browser engine needs for one format."""
    format_ = FORMATS[fmt]
    return {
        "format": fmt,
        "token": TOKEN,
        "notBefore": NOT_BEFORE,
        "countUnits": list(COUNT_UNITS),
        "moneyUnits": list(MONEY_UNITS),
        "percentUnits": list(PERCENT_UNITS),
        "sentenceEnd": SENTENCE_END,
        "clauseEnd": CLAUSE_END,
        "tailEnd": TAIL_END,
        "leadChars": LEAD_CHARS,
        "tailChars": TAIL_CHARS,
        "prefixChars": PREFIX_CHARS,
        "scope": dict(SCOPE),
        "topic": TOPIC,
        "topicOf": dict(TOPIC_OF),
        "changeUp": list(CHANGE_UP),
        "changeDown": list(CHANGE_DOWN),
        "approxRatio": APPROX_RATIO,
        "sections": {n.code: n.heading for n in format_.narratives},
        "severityLabels": {s.value: s.label for s in Severity},
        "checks": [c.as_json(fmt) for c in narrative_checks(fmt)],
    }


__all__ = ["CHECKS", "NarrativeCheck", "Phrase", "narrative_checks", "phrases_json"]
