"""Reading bounded in time (``importers.bounded``): the same result as reading in
process, the same refusals, and a file that takes too long killed with a message naming
it, from the main thread or another one (Django's live server, gunicorn threads)."""

import os
import threading
import zlib

import billiard
import pytest

from disclosure.formats import format_for_year
from disclosure.importers.bounded import BoundedReader, parse_bounded
from disclosure.importers.detect import parse_report_bytes
from disclosure.importers.text import ReportParseError
from tests.importers.make_docx import docx_bytes, sample_document
from tests.importers.samples import SAMPLES

pytestmark = pytest.mark.django_db

# Long enough for any real report on a loaded machine, far too short for ``endless_pdf``.
BOUND = 5


def endless_pdf(operators: int = 2_000_000) -> bytes:
    """A PDF of a few kilobytes whose one page shows two million one-letter strings:
    pdfminer would take many minutes over it (before any size check can stop it)."""
    content = zlib.compress(b"BT /F1 1 Tf 0 0 Td " + b"(a) Tj " * operators + b"ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_same_report_as_in_process():
    data = docx_bytes(sample_document("004"))
    parsed = parse_bounded(data, "report.docx")
    assert parsed == parse_report_bytes(data, "report.docx")
    assert parsed.format is format_for_year(parsed.year)  # the registry's own object


def test_refusal_keeps_its_message_and_line():
    lines = SAMPLES["000"].read_bytes().splitlines(keepends=True)
    data = b"".join(lines[:190])  # a table cut short: refused with its section and line
    with pytest.raises(ReportParseError) as in_process:
        parse_report_bytes(data, "x.txt")
    with pytest.raises(ReportParseError) as bounded:
        parse_bounded(data, "x.txt")
    assert (str(bounded.value), bounded.value.line) == (str(in_process.value), in_process.value.line)
    assert bounded.value.line is not None


def test_file_taking_too_long_is_killed_and_named():
    with BoundedReader(seconds=BOUND) as reader:
        good = SAMPLES["002"].read_bytes()
        assert reader.parse(good, "002.txt").agency_name
        first = reader.pid
        with pytest.raises(ReportParseError) as refused:
            reader.parse(endless_pdf(), "慢.pdf")
        assert str(refused.value) == f"读取文件“慢.pdf”超时（超过{BOUND}秒），文件可能已损坏或过于复杂"
        assert _gone(first)  # the child reading it was killed (and reaped)
        assert reader.pid is None
        assert reader.parse(good, "002.txt").agency_name  # the next file gets a new child
        assert reader.pid not in (None, first)
    assert reader.pid is None


def test_one_child_reads_the_files_of_a_batch():
    with BoundedReader() as reader:
        reader.parse(SAMPLES["001"].read_bytes(), "001.txt")
        pid = reader.pid
        with pytest.raises(ReportParseError):
            reader.parse(b"\xff\xfe\x00", "broken.txt")  # a refusal does not cost the child
        reader.parse(SAMPLES["002"].read_bytes(), "002.txt")
        assert reader.pid == pid
    assert _gone(pid)


def test_from_another_thread():
    data = SAMPLES["003"].read_bytes()
    results = []
    thread = threading.Thread(target=lambda: results.append(parse_bounded(data, "003.txt")))
    thread.start()
    thread.join()
    assert results == [parse_report_bytes(data, "003.txt")]


def _agency_in_worker(data: bytes) -> tuple[str, bool]:
    return parse_bounded(data, "002.txt").agency_name, billiard.current_process().daemon


def test_from_a_celery_prefork_worker():
    """Celery's prefork workers are billiard's daemonic processes (multiprocessing refuses
    children to those, and cannot pickle billiard's key): the read works there too."""
    data = SAMPLES["002"].read_bytes()
    with billiard.Pool(1) as pool:
        agency, daemonic = pool.apply(_agency_in_worker, (data,))
    assert agency == parse_report_bytes(data, "002.txt").agency_name
    assert daemonic  # the worker is daemonic again afterwards
