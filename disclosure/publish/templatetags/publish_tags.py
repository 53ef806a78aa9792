from django import template

from disclosure.publish.archive import files_job
from disclosure.publish.glyphs import unprintable

register = template.Library()


@register.simple_tag
def unprintable_chars(report) -> list[str]:
    """Characters of the report's text that no bundled font has (no queries)."""
    fields = ["preface"] + [n.code for n in report.format.narratives]
    text = "\n".join([report.display_title, *(getattr(report, name) or "" for name in fields)])
    return unprintable(text)


@register.simple_tag
def approval_files(report):
    """The current approval's files job (None unless approved through the
    workflow): the panels say whether its files are being made or failed."""
    return files_job(report)
