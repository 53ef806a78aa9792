"""The only way WeasyPrint may read a resource while rendering a report.

WeasyPrint's stock fetcher reads any local file and sends HTTP requests; in
version 70 ``<a rel="attachment" href="file:///etc/passwd">`` embeds the file
in the PDF. Reports carry text typed by clerks, so the renderer uses this
fetcher, which serves the project's own static files under ``disclosure/``
(stylesheet and fonts) and refuses everything else: other ``file:`` paths,
``http(s):``, ``ftp:``, ``data:``, and (as no request is ever sent) redirects.

The HTML rendered for the PDF (``render.pdf_html``) refers to static files by
their site path (``/static/…``); the PDF is rendered with base URL
``file:///``, and a ``file:`` URL whose path lies under ``STATIC_URL`` is
looked up with the staticfiles finders (or in ``STATIC_ROOT`` after
``collectstatic``), never as a filesystem path. The HTML download embeds its
fonts as ``data:`` URLs instead; it is never what WeasyPrint renders, so
``data:`` stays refused here.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

BASE_URL = "file:///"
STATIC_PREFIX = "disclosure/"


class RefusedURL(ValueError):
    """A resource the report may not use; WeasyPrint logs it and goes on."""


def static_roots() -> list[Path]:
    """Directories whose ``disclosure/`` files may be served."""
    roots = [Path(d) for d in settings.STATICFILES_DIRS]
    roots.append(Path(settings.STATIC_ROOT))
    return [(root / STATIC_PREFIX).resolve() for root in roots]


def static_path(url: str) -> Path | None:
    """The project file a ``file:`` URL under STATIC_URL names, or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    static_url = urlsplit(settings.STATIC_URL).path
    if not static_url.startswith("/"):
        static_url = "/" + static_url
    path = unquote(parts.path)
    if not path.startswith(static_url):
        return None
    relative = path[len(static_url) :]
    if not relative.startswith(STATIC_PREFIX) or ".." in relative.split("/") or "\\" in relative:
        return None
    found = finders.find(relative) or (Path(settings.STATIC_ROOT) / relative)
    resolved = Path(found).resolve()
    if not resolved.is_file():
        return None
    if not any(resolved.is_relative_to(root) for root in static_roots()):
        return None
    return resolved


class StaticOnlyFetcher(URLFetcher):
    """Serves the project's static files; refuses every other URL.

    ``refused`` lists the URLs turned down during the render (for tests and
    diagnostics)."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False, **kwargs)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        path = static_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"报告只能使用本系统的静态文件，已拒绝：{url[:200]}")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".otf":
            content_type = "font/otf"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def open(self, url, data=None, timeout=None):  # urllib's signature; nothing is opened
        raise RefusedURL("报告渲染不发送网络请求")
