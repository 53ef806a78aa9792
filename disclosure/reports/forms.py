"""Forms of the report pages: the narrative sections (crispy), the start form,
and the numeric grids, whose cells come from the tables' layout (``formats.layout``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from disclosure.formats import format_for_year
from disclosure.formats.layout import LabelCell, ValueCell, table_grid
from disclosure.formats.layout import sections as template_sections
from disclosure.formats.spec import Format, Table
from disclosure.formats.values import ValueProblem, display, parse_cell

from .models import NARRATIVE_MAX_CHARS, AnnualReport


class NarrativeForm(forms.ModelForm):
    """The report's text: title, opening paragraph and sections 一, 五, 六."""

    class Meta:
        model = AnnualReport
        fields = ["title", "preface", "general", "problems", "other_matters"]
        widgets = {
            "preface": forms.Textarea(attrs={"rows": 4}),
            "general": forms.Textarea(attrs={"rows": 10}),
            "problems": forms.Textarea(attrs={"rows": 6}),
            "other_matters": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        report = self.instance
        self.fields["title"].widget.attrs["placeholder"] = report.display_title if report.agency_id else ""
        for name in ("general", "problems", "other_matters"):
            # the section heading above the text area is its label
            self.fields[name].label = ""
            self.fields[name].widget.attrs["aria-labelledby"] = f"heading-{name}"
        for name, heading in self._text_parts(report):
            # no maxlength attribute: a browser would cut a long paste silently
            self.fields[name].validators.append(_LengthLimit(heading))
            self.fields[name].widget.attrs["data-max-chars"] = str(NARRATIVE_MAX_CHARS)

    @staticmethod
    def _text_parts(report) -> list[tuple[str, str]]:
        parts = [("preface", "开头说明")]
        if report.agency_id:
            parts += [(n.code, n.heading) for n in report.format.narratives]
        return parts


class _LengthLimit(MaxLengthValidator):
    """The section's limit, with a message that names the section and the count."""

    def __init__(self, heading: str):
        super().__init__(NARRATIVE_MAX_CHARS)
        self.heading = heading

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise ValidationError(
                f"“{self.heading}”共{len(value)}字，超过了每部分{self.limit_value}字的上限，请精简后再保存；"
                "本次未保存，您填写的内容仍保留在本页。",
                code="max_length",
            )


class StartForm(forms.Form):
    """Start the agency's report for a year the agency has no report for yet."""

    year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y}年（{format_for_year(y).name}）") for y in years]
        # reports are written early in the following year: offer last year first
        last_year = timezone.localdate().year - 1
        if last_year in years:
            self.fields["year"].initial = last_year
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def sections(fmt: Format, form: NarrativeForm):
    """The six sections in the template's order: ("text", heading, bound field) or ("table", heading, table)."""
    return [
        ("text", s.heading, form[s.narrative.code]) if s.narrative else ("table", s.heading, s.table)
        for s in template_sections(fmt)
    ]


def dom_id(key: str) -> str:
    return "cell-" + key.replace(".", "-")


@dataclass
class ReportGrid:
    """The three tables' cells as typed (``texts``), parsed (``values``) and
    refused (``errors``: key → Chinese message). Bound to POST data like a form:
    only cells present in ``data`` are parsed; computed totals are never read
    from the request."""

    fmt: Format
    stored: dict
    data: object = None
    texts: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def __post_init__(self):
        self.texts = {key: display(value) for key, value in self.stored.items()}
        if self.data is None:
            return
        for key in self.fmt.input_keys():
            if key not in self.data:
                continue
            text = self.data.get(key, "")
            self.texts[key] = text
            try:
                self.values[key] = parse_cell(text, self.fmt.locate(key)[3])
            except ValueProblem as exc:
                self.errors[key] = str(exc)

    def fill_blanks(self, values: dict) -> None:
        """空白填0: every input cell still blank (and not refused) becomes 0."""
        for key in self.fmt.input_keys():
            if values.get(key) is None and key not in self.errors:
                self.values[key] = values[key] = 0
                self.texts[key] = "0"

    def show(self, values: dict) -> None:
        """Show ``values`` (e.g. recomputed totals), keeping refused texts."""
        for key, value in values.items():
            if key not in self.errors:
                self.texts[key] = display(value)

    def error_labels(self) -> list[str]:
        return [f"{self.fmt.cell_label(key)}：{message}" for key, message in self.errors.items()]

    def layout(self, table: Table, invalid=frozenset(), editable=True) -> list[list[dict]]:
        """The table's printed grid as rows of cells (headers, labels, data)."""
        return [self._row(row, invalid, editable) for row in table_grid(table).rows]

    def _row(self, row, invalid, editable) -> list[dict]:
        if row.is_header:
            return [_header(cell) for cell in row.labels]
        return [_label(cell) for cell in row.labels] + [self._data(v, invalid, editable) for v in row.values]

    def _data(self, cell: ValueCell, invalid, editable) -> dict:
        key, column = cell.key, cell.column
        return {
            "type": "computed" if cell.computed else ("input" if editable else "value"),
            "key": key,
            "id": dom_id(key),
            "colspan": cell.colspan,
            "text": self.texts.get(key, ""),
            "label": self.fmt.cell_label(key),
            "kind": column.kind.value,
            "unit": column.unit,
            "suffix": column.unit if column.unit and column.unit not in column.label else "",
            "decimals": column.decimals,
            "x": cell.x,
            "y": cell.y,
            "error": self.errors.get(key, ""),
            "invalid": key in invalid,
            "blank": self.texts.get(key, "") == "",
        }


def _label(cell: LabelCell, kind: str = "label") -> dict:
    return {"type": kind, "text": cell.text, "rowspan": cell.rowspan, "colspan": cell.colspan}


def _header(cell: LabelCell) -> dict:
    return {**_label(cell, "header"), "scope": "colgroup" if cell.colspan > 1 else "col"}
