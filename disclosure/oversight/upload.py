"""The regional office's upload of published reports: one ``.zip`` (or several
report files) checked as a batch, in a background job.

The view refuses before reading anything it can already refuse: a request
larger than ``MAX_UPLOAD_BYTES`` (by its Content-Length, then by the bytes the
upload handler really receives), a file of the wrong kind, a ``.zip`` that is
not one, or whose central directory shows a member climbing out (``../``), an
absolute name, too many files or too many bytes once inflated (the importers'
own rules and limits: ``importers.batch``). Several report files are packed into
one zip of our own (their base names only). What passes is stored in the job
(the worker may run on another machine) and checked there by ``check_upload``,
which re-applies every rule while inflating (a member lying about its size is
caught there) and reads each file with the time bound of the importers.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from disclosure.importers import batch
from disclosure.importers.document import MAX_BYTES as MAX_UPLOAD_BYTES

TOO_BIG = "上传的文件过大：一次上传合计不能超过 20 MB，请分成几个压缩包分别上传。"
NOTHING = "请选择一个 .zip 压缩包，或若干报告文件（.txt、.docx、.html、.htm、.pdf）。"
WRONG_KIND = (
    "不支持的文件类型：{name}。请上传一个 .zip 压缩包，或若干报告文件（.txt、.docx、.html、.htm、.pdf）。"
)
ONE_ZIP = "一次只能上传一个 .zip 压缩包（不能与其他文件一起上传）。"
NOT_A_ZIP = "“{name}”不是有效的 zip 压缩包。"
REFUSED = "压缩包“{name}”被拒绝：{reason}"
EMPTY_ZIP = "压缩包“{name}”中没有可检查的报告文件（.txt、.docx、.html、.htm、.pdf）。"
# What one uploaded archive may hold once inflated (the per-file time bound is the importers' default).
UPLOAD_LIMITS = dataclasses.replace(
    batch.DEFAULT_LIMITS, max_files=500, max_file_bytes=50 * 1024 * 1024, max_total_bytes=200 * 1024 * 1024
)
SUFFIXES = ", ".join(sorted(batch.REPORT_SUFFIXES))
PACKED_NAME = "上传的文件.zip"

HEADINGS = (*batch.HEADINGS_ZH, "本辖区")


class UploadRefused(ValueError):
    """The upload is refused; the message (Chinese) says why, ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class SizeLimitHandler(FileUploadHandler):
    """Counts the bytes of the uploaded files as they arrive and stops the upload
    beyond ``limit`` (the rest of the request is read and dropped, nothing kept)."""

    def __init__(self, request=None, limit: int = MAX_UPLOAD_BYTES):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def request_too_big(request) -> bool:
    """Refused by the declared length alone (with room for the form's other fields)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > MAX_UPLOAD_BYTES + 64 * 1024


def _base_name(name: str) -> str:
    """The file's own name, without any folder a browser or a client sent."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name or "").replace("\\", "/")
    return PurePosixPath(name).name.strip()[:200]


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def check_zip(data: bytes, name: str, limits: batch.Limits = UPLOAD_LIMITS) -> None:
    """Refuse a zip by its central directory alone: nothing is inflated here."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UploadRefused(NOT_A_ZIP.format(name=name)) from None
    try:
        batch.check_archive(infos, limits)  # the importers' own rules (names, counts, sizes)
    except batch.UnsafeArchive as exc:
        raise UploadRefused(REFUSED.format(name=name, reason=exc)) from None
    if not any(batch.is_report_member(info) for info in infos):
        raise UploadRefused(EMPTY_ZIP.format(name=name))


def prepare(files: list) -> tuple[bytes, str]:
    """The bytes the job checks (a zip) and the name shown for them.

    ``files`` are Django ``UploadedFile``s; one ``.zip`` is kept as it is, several
    report files are packed into one zip under their base names."""
    if not files:
        raise UploadRefused(NOTHING)
    if sum(f.size or 0 for f in files) > MAX_UPLOAD_BYTES:
        raise UploadRefused(TOO_BIG, 413)
    names = [_base_name(f.name) or "未命名文件" for f in files]
    zips = [n for n in names if _suffix(n) == batch.ARCHIVE_SUFFIX]
    if zips:
        if len(files) > 1:
            raise UploadRefused(ONE_ZIP)
        data = _read(files[0])
        check_zip(data, names[0])
        return data, names[0]
    for name in names:
        if _suffix(name) not in batch.REPORT_SUFFIXES:
            raise UploadRefused(WRONG_KIND.format(name=name))
    out = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for file, name in zip(files, names, strict=True):
            member, number = name, 1
            while member in used:
                number += 1
                member = f"{PurePosixPath(name).stem}（{number}）{_suffix(name)}"
            used.add(member)
            archive.writestr(member, _read(file))
    return out.getvalue(), PACKED_NAME


def _read(file) -> bytes:
    data = file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(TOO_BIG, 413)
    return data


def check_upload(
    data: bytes,
    shown: str,
    check: Callable,
    *,
    progress: Callable | None = None,
    limits: batch.Limits = UPLOAD_LIMITS,
) -> list[batch.BatchRow]:
    """One summary row per report file of the stored zip, named ``shown!/member``
    (``member`` alone for files uploaded one by one and packed here)."""
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        path = Path(folder) / "upload.zip"
        path.write_bytes(data)
        rows = batch.check_batch([str(path)], check, progress=_renamed(progress, path, shown), limits=limits)
    for row in rows:
        row.file = _display(row.file, path, shown)
    return rows


def _display(name: str, path: Path, shown: str) -> str:
    prefix = str(path)
    if not name.startswith(prefix):
        return name
    rest = name[len(prefix) :]
    if shown == PACKED_NAME and rest.startswith(batch.ARCHIVE_SEPARATOR):
        return rest[len(batch.ARCHIVE_SEPARATOR) :]
    return shown + rest


def _renamed(progress, path, shown):
    if progress is None:
        return None
    return lambda done, total, name: progress(done, total, _display(name, path, shown) if name else "")
