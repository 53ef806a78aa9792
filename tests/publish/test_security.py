"""The static-only URL fetcher: a report PDF reads nothing but the project's
static files, sends no request and embeds no attachment."""

import socket
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from weasyprint import HTML

from disclosure.publish.fetcher import RefusedURL, StaticOnlyFetcher, static_path
from disclosure.publish.render import pdf_from_html, stylesheet_text

PASSWD = "file:///etc/passwd"


@pytest.fixture
def listener():
    """A TCP socket listening on 127.0.0.1 that never accepts: a connection
    attempt would complete in the kernel and wait in its backlog."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def connections(server) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def hostile_html(port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<style>{stylesheet_text()}</style>
<link rel="stylesheet" href="{base}/remote.css">
<link rel="stylesheet" href="https://example.invalid/remote.css">
<style>@import url("{base}/import.css"); body {{ background: url({base}/background.png); }}</style>
</head><body>
<p>正文</p>
<img src="{PASSWD}" alt="">
<a rel="attachment" href="{PASSWD}">附件</a>
<img src="{base}/image.png" alt="">
<img src="ftp://127.0.0.1:{port}/image.png" alt="">
</body></html>"""


def attachments(pdf: bytes) -> list[str]:
    """Embedded files: the document's (catalog names) and file-attachment annotations'."""
    reader = PdfReader(BytesIO(pdf))
    names = list(reader.attachments)
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot["/Subtype"] == "/FileAttachment":
                names.append(str(annot["/FS"].get_object().get("/F", "")))
    return names


def images(pdf: bytes) -> list:
    return [image for page in PdfReader(BytesIO(pdf)).pages for image in page.images]


@pytest.fixture
def hostile_render(listener):
    port = listener.getsockname()[1]
    fetcher = StaticOnlyFetcher()
    pdf = pdf_from_html(hostile_html(port), fetcher)
    return port, fetcher, pdf


def test_pdf_from_html_hostile_urls_refused(hostile_render):
    port, fetcher, _ = hostile_render
    base = f"http://127.0.0.1:{port}"
    assert sorted(set(fetcher.refused)) == sorted(
        {
            PASSWD,
            f"{base}/remote.css",
            "https://example.invalid/remote.css",
            f"{base}/import.css",
            f"{base}/background.png",
            f"{base}/image.png",
            f"ftp://127.0.0.1:{port}/image.png",
        }
    )


def test_pdf_from_html_hostile_only_fonts_served(hostile_render):
    _, fetcher, _ = hostile_render
    assert fetcher.served
    assert all(url.startswith("file:///static/disclosure/fonts/") for url in fetcher.served)


def test_pdf_from_html_hostile_no_connection(hostile_render, listener):
    assert connections(listener) == 0


def test_pdf_from_html_hostile_no_attachment_no_image(hostile_render):
    _, _, pdf = hostile_render
    assert attachments(pdf) == []
    assert images(pdf) == []
    assert b"EmbeddedFile" not in pdf
    assert b"root:" not in pdf


def test_listener_sees_a_real_connection(listener):
    """The listener check can fail: a plain connection is counted."""
    with socket.create_connection(listener.getsockname(), timeout=5):
        pass
    assert connections(listener) == 1


def test_default_fetcher_would_embed_passwd():
    """Why the fetcher exists: WeasyPrint's own fetcher embeds the local file."""
    html = f'<html><body><a rel="attachment" href="{PASSWD}">附件</a></body></html>'
    pdf = HTML(string=html).write_pdf()
    assert len(attachments(pdf)) == 1
    assert b"EmbeddedFile" in pdf


@pytest.mark.parametrize(
    "url",
    [
        PASSWD,
        "file:///static/disclosure/../../../etc/passwd",
        "file:///static/disclosure/%2e%2e/%2e%2e/disclosure/settings.py",
        "file:///static/admin/css/base.css",
        "file:///static/disclosure/fonts/missing.otf",
        "file://evil.example/static/disclosure/css/report.css",
        "http://127.0.0.1/static/disclosure/css/report.css",
        "data:text/plain,hello",
    ],
)
def test_static_path_refuses(url):
    assert static_path(url) is None
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_static_path_serves_project_stylesheet(settings):
    expected = (Path(settings.STATICFILES_DIRS[0]) / "disclosure" / "css" / "report.css").resolve()
    assert static_path("file:///static/disclosure/css/report.css") == expected
    response = StaticOnlyFetcher().fetch("file:///static/disclosure/css/report.css")
    assert response.read() == expected.read_bytes()
