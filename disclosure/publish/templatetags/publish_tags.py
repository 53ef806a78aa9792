from django import template

from disclosure.publish.glyphs import unprintable

register = template.Library()


@register.simple_tag
def unprintable_chars(report) -> list[str]:
    """Characters of the report's text that no bundled font has (no queries)."""
    fields = ["preface"] + [n.code for n in report.format.narratives]
    text = "\n".join([report.display_title, *(getattr(report, name) or "" for name in fields)])
    return unprintable(text)
