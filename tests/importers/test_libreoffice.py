"""Each sample report as a Word document with real merged cells (``make_docx``), and the
web page and the PDF LibreOffice exports from that Word file: every format gives back
every number of the text form and the same findings. Skipped where LibreOffice
(``soffice``) is not installed; CI installs it (libreoffice-writer-nogui)."""

import shutil
import subprocess

import pytest

from disclosure.importers.detect import parse_report_bytes
from tests.importers.formats_common import assert_same_as_text, findings_key
from tests.importers.make_docx import docx_bytes, sample_document
from tests.importers.samples import SAMPLES, parse_sample

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"),
]

NUMBERS = sorted(SAMPLES)


def convert(paths, target: str, outdir, profile) -> None:
    """All the files in one run of LibreOffice (starting it costs seconds)."""
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", target, "--outdir", str(outdir), *map(str, paths)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """{(number, kind): bytes}: the web page and the PDF LibreOffice exports from our Word file."""
    folder = tmp_path_factory.mktemp("libreoffice")
    profile = folder / "profile"
    paths = []
    for number in NUMBERS:
        path = folder / f"{number}.docx"
        path.write_bytes(docx_bytes(sample_document(number)))
        paths.append(path)
    convert(paths, "html", folder / "html", profile)
    convert(paths, "pdf", folder / "pdf", profile)
    files = {}
    for number in NUMBERS:
        files[number, "html"] = (folder / "html" / f"{number}.html").read_bytes()
        files[number, "pdf"] = (folder / "pdf" / f"{number}.pdf").read_bytes()
    return files


@pytest.mark.parametrize("number", NUMBERS)
def test_libreoffice_web_page_gives_back_the_text_form(exported, number):
    assert_same_as_text(number, parse_report_bytes(exported[number, "html"], f"{number}.html"))


@pytest.mark.parametrize("number", NUMBERS)
def test_libreoffice_pdf_gives_back_every_number_and_the_findings(exported, number):
    """LibreOffice lets a table row break over a page (ruled closed on both pages): its
    pieces are joined again. The preface may keep a line break where a web address or a
    number could not be broken (not compared)."""
    parsed = parse_report_bytes(exported[number, "pdf"], f"{number}.pdf")
    want = parse_sample(number)
    assert parsed.values == want.values
    assert (parsed.title, parsed.year, parsed.agency_name) == (want.title, want.year, want.agency_name)
    assert parsed.narratives == want.narratives
    assert findings_key(parsed) == findings_key(want)
