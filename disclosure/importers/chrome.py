"""What a web page prints around a report, and where the report's title is: shared by
the web page reader (``html``) and the PDF reader (``pdf``: a PDF printed from a web
page by a browser keeps the site's menus, breadcrumbs and footer as text lines).

``is_chrome`` recognises a line of the site's furniture (record number, copyright,
“当前位置”, “字号：[大 中 小]”, …); ``title_index`` finds the report's title among the
paragraphs before the first table or section heading, so that what stands above it
(menus, breadcrumbs) can be dropped; ``join_wrapped_title`` joins a long centred title
that the page wrapped over two lines (“…2020年政府信息公开工作” / “年度报告”).
"""

from __future__ import annotations

import re
import unicodedata

from .document import Paragraph

FIRST = re.compile(r"^(?:[一1]\s*[、.．]\s*)?总体情况")
LAST = re.compile(r"^六\s*[、.．]")
TITLE = re.compile(r"(?:19|20)\d{2}\s*年.*(?:报告|总结)$")
CHROME = re.compile(
    r"ICP备|网站标识码|版权所有|打印本页|关闭窗口|分享到|当前位置|浏览次数|字号[:：]?\s*\[?大|"
    r"^(?:主办|承办)单位[:：]"
)
MAX_TITLE = 80  # characters: a longer line is a sentence, not a title
MAX_TAIL = 20  # characters: the wrapped end of a title (“年度报告”, “工作总结”)
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年")
_TAIL = re.compile(r"(?:报告|总结)$")
MAX_TITLE_LINES = 3
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_LATIN_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])\s+(?=[{_CJK}])")
MAX_AGENCY = 40  # characters: an agency's name printed as the title's first line
_AGENCY = re.compile(r"(?:局|委|委员会|中心|政府|办公室|办|院|厅|所|署|会|队|馆|处|部|室|公司|集团)$")
_SENTENCE_END = ("。", "；", ";", "：", ":", "！", "？")


def text_of(text: str) -> str:
    """The text as compared: compatibility forms folded, runs of space made one."""
    return unicodedata.normalize("NFKC", " ".join(text.split()))


def is_chrome(text: str) -> bool:
    return bool(CHROME.search(text))


def drop_chrome(items: list) -> list:
    """The items without the paragraphs that are the site's furniture."""
    return [i for i in items if not (isinstance(i, Paragraph) and is_chrome(i.text))]


def is_title(text: str) -> bool:
    text = text_of(text)
    return len(text) <= MAX_TITLE and bool(TITLE.search(text))


def starts_with_title(items) -> bool:
    """One of the first three items is a title-like paragraph."""
    return any(isinstance(item, Paragraph) and TITLE.search(text_of(item.text)) for item in items[:3])


def title_index(items) -> int | None:
    """The last title-like paragraph before the first table or section heading."""
    found = None
    for index, item in enumerate(items):
        if not isinstance(item, Paragraph):
            break
        text = text_of(item.text)
        if FIRST.match(text):
            break
        if len(text) <= MAX_TITLE and TITLE.search(text):
            found = index
    return found


def join_wrapped_title(items: list) -> None:
    """Join, in place, a title wrapped over two paragraphs before the first table or
    section heading: a line naming a year that is not a title by itself, followed by a
    short line ending in 报告/总结, the two together a title."""
    for index, item in enumerate(items[:-1]):
        if not isinstance(item, Paragraph):
            return
        text = text_of(item.text)
        if FIRST.match(text):
            return
        following = items[index + 1]
        if not isinstance(following, Paragraph) or not _YEAR.search(text) or TITLE.search(text):
            continue
        if text.endswith(_SENTENCE_END):
            continue
        tail = text_of(following.text)
        if len(tail) <= MAX_TAIL and _TAIL.search(tail) and is_title(text + tail):
            item.text = item.text.strip() + following.text.strip()
            del items[index + 1]
            return


def tighten_title(items: list) -> None:
    """Drop, in place, the spaces a PDF shows between Chinese and Latin letters or digits
    in the title's lines (“测试区民政局 2021 年…”: spacing added by the layout, not typed),
    up to the line ending the title."""
    for item in items[:MAX_TITLE_LINES]:
        if not isinstance(item, Paragraph) or len(text_of(item.text)) > MAX_TITLE:
            return
        item.text = _CJK_LATIN_SPACE.sub("", item.text)
        if _TAIL.search(text_of(item.text)):
            return


def drop_above_title(items: list) -> None:
    """Delete, in place, what stands above the title (menus, breadcrumbs) when a title is
    found; an agency's name printed on the line above it is the title's first line."""
    start = title_index(items)
    if start and _agency_line(items[start - 1]):
        start -= 1
    if start:
        del items[:start]


def _agency_line(item) -> bool:
    if not isinstance(item, Paragraph):
        return False
    text = text_of(item.text)
    return (
        len(text) <= MAX_AGENCY and " " not in text and not _YEAR.search(text) and bool(_AGENCY.search(text))
    )
