"""Checking many published reports in one go: several paths, folders (walked
recursively) and ``.zip`` archives (read safely), each file read by the
single-file reader and checked by a function passed in (the command wires the
database-aware ``reports.services.check_parsed``, so this module stays free of
Django), one summary row per file.

Files are read in a child process (``bounded.BoundedReader``, one for the batch), each
bounded in time: a file that takes longer than ``Limits.seconds_per_file`` is killed
and becomes an unreadable row (“读取文件…超时”), and the batch goes on.

A file that cannot be read is a row with its reason; it never stops the batch.
A zip archive is unpacked only into a temporary directory, member by member
under names of our own, and refused whole (one unreadable row) when a member's
name is absolute or climbs out (``../``), or when it holds too many files or
too many bytes (a zip bomb): the declared sizes are checked before anything is
read and the bytes actually inflated are counted while reading.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from disclosure.formats.spec import Severity

from .bounded import DEFAULT_SECONDS, BoundedReader
from .document import MAX_BYTES
from .text import ReportParseError

# The files a folder or an archive contributes (a path named on the command line is always read).
REPORT_SUFFIXES = frozenset({".txt", ".docx", ".html", ".htm", ".pdf"})
ARCHIVE_SUFFIX = ".zip"
# Where a path inside an archive is shown: "reports.zip!/2021/鹿城区.txt".
ARCHIVE_SEPARATOR = "!/"
CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """How much one archive may hold (counted over every member, directories included),
    and how long one file may take to read (``bounded.parse_bounded``)."""

    max_files: int = 2000
    max_file_bytes: int = 50 * 1024 * 1024
    max_total_bytes: int = 500 * 1024 * 1024
    seconds_per_file: float = DEFAULT_SECONDS


DEFAULT_LIMITS = Limits()


class UnsafeArchive(ValueError):
    """The archive is refused whole; the message says why."""


@dataclass
class BatchRow:
    """One file's summary: what it is, how many findings; ``unreadable`` is the reason
    it could not be read (None when it was)."""

    file: str
    agency: str | None = None
    year: int | None = None
    format: str | None = None
    errors: int | None = None
    warnings: int | None = None
    unreadable: str | None = None

    def as_json(self) -> dict:
        return asdict(self)


HEADINGS = ("file", "agency", "year", "format", "errors", "warnings", "unreadable")
HEADINGS_ZH = ("文件", "机关", "年度", "格式", "错误", "警告", "无法读取")


@dataclass(frozen=True)
class Source:
    """One file of the batch: its display name and where it lies (or why it cannot be read)."""

    name: str
    path: Path | None
    problem: str | None = None


def parse_path(path, reader: BoundedReader):
    """The one single-file reader every batch entry goes through: the file read
    (at most ``MAX_BYTES`` + 1 bytes, so a larger one is refused by its size) and
    parsed in the batch's child process, killed after ``reader.seconds`` (a timeout
    is a ``ReportParseError``, so the file becomes an unreadable row)."""
    path = Path(path)
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return reader.parse(data, path.name)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return f"压缩包中的路径是绝对路径：{name[:200]}"
    if ".." in name.replace("\\", "/").split("/"):
        return f"压缩包中的路径跳出了压缩包（../）：{name[:200]}"
    return None


def check_archive(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse the archive before anything is inflated (names, counts, declared sizes)."""
    for info in infos:
        problem = _member_problem(info)
        if problem:
            raise UnsafeArchive(problem)
    if len(infos) > limits.max_files:
        raise UnsafeArchive(f"压缩包中的文件过多（{len(infos)} 个，上限 {limits.max_files} 个）")
    for info in infos:
        if info.file_size > limits.max_file_bytes:
            raise UnsafeArchive(
                f"压缩包中的文件过大：{info.filename[:200]}（{info.file_size} 字节，上限 {limits.max_file_bytes} 字节）"
            )
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise UnsafeArchive(f"压缩包解压后过大（{total} 字节，上限 {limits.max_total_bytes} 字节）")


def is_report_member(info: zipfile.ZipInfo) -> bool:
    if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
        return False
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.name.startswith(".") or "__MACOSX" in path.parts:
        return False
    return path.suffix.lower() in REPORT_SUFFIXES


def _inflate(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: list[int], limits: Limits
):
    """Write one member to ``target``, counting the bytes really inflated (a member
    may lie about its size); ``budget`` is what the whole archive may still inflate."""
    written = 0
    with archive.open(info) as source, target.open("wb") as out:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            budget[0] -= len(chunk)
            if written > max(info.file_size, 0) or written > limits.max_file_bytes or budget[0] < 0:
                raise UnsafeArchive(f"压缩包中的文件解压后超过声明或上限：{info.filename[:200]}")
            out.write(chunk)


def _archive_sources(path: Path, shown: str, workdir: Path, limits: Limits) -> list[Source]:
    """The report files of one archive, unpacked under ``workdir``; a refused or
    broken archive is one unreadable source."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            check_archive(infos, limits)
            folder = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir))
            budget = [limits.max_total_bytes]
            sources = []
            for number, info in enumerate(i for i in infos if is_report_member(i)):
                member = info.filename.replace("\\", "/")
                name = f"{shown}{ARCHIVE_SEPARATOR}{member}"
                # our own directory per member, the member's base name kept (readers show it)
                target = folder / f"{number:05d}" / PurePosixPath(member).name
                target.parent.mkdir()
                try:
                    _inflate(archive, info, target, budget, limits)
                except UnsafeArchive:
                    raise
                except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
                    sources.append(Source(name, None, f"无法解压：{exc}"))
                    continue
                sources.append(Source(name, target))
            return sources
    except UnsafeArchive as exc:
        return [Source(shown, None, f"压缩包被拒绝：{exc}")]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return [Source(shown, None, f"无法打开压缩包：{exc}")]


def _folder_files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder`` in a stable order, hidden entries and symbolic links skipped."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (Path(root) / d).is_symlink())
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and not path.is_symlink():
                yield path


def collect(paths: Iterable, workdir: Path, limits: Limits = DEFAULT_LIMITS) -> list[Source]:
    """Every file the batch reads, in the order given (a folder's files sorted)."""
    sources: list[Source] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _folder_files(path):
                shown = str(file)
                if file.suffix.lower() == ARCHIVE_SUFFIX:
                    sources += _archive_sources(file, shown, workdir, limits)
                elif file.suffix.lower() in REPORT_SUFFIXES:
                    sources.append(Source(shown, file))
        elif path.suffix.lower() == ARCHIVE_SUFFIX and path.is_file():
            sources += _archive_sources(path, str(given), workdir, limits)
        else:
            sources.append(Source(str(given), path))  # read (or found missing) like any file
    return sources


def is_batch(paths: list) -> bool:
    """Several paths, a folder or an archive: a batch (one file keeps the single-file output)."""
    if len(paths) != 1:
        return True
    path = Path(paths[0])
    return path.is_dir() or (path.suffix.lower() == ARCHIVE_SUFFIX and path.is_file())


def counts(findings, notes) -> tuple[int, int]:
    """(errors, warnings) as the single-file summary counts them (import notes are warnings)."""
    errors = sum(1 for f in findings if f.severity == Severity.ERROR.value)
    return errors, len(findings) - errors + len(notes)


def check_one(source: Source, check: Callable, reader: BoundedReader) -> BatchRow:
    if source.problem is not None:
        return BatchRow(source.name, unreadable=source.problem)
    try:
        parsed = parse_path(source.path, reader)
    except ReportParseError as exc:
        return BatchRow(source.name, unreadable=str(exc))
    except OSError as exc:
        return BatchRow(source.name, unreadable=exc.strerror or str(exc))
    except Exception as exc:  # any reader failure is this file's problem, not the batch's
        return BatchRow(source.name, unreadable=f"{type(exc).__name__}: {exc}")
    errors, warnings = counts(check(parsed), parsed.notes)
    return BatchRow(
        source.name,
        agency=parsed.agency_name or None,
        year=parsed.year,
        format=parsed.format.code,
        errors=errors,
        warnings=warnings,
    )


@contextmanager
def _workdir():
    folder = Path(tempfile.mkdtemp(prefix="check-batch-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_batch(
    paths: Iterable, check: Callable, *, progress: Callable | None = None, limits: Limits = DEFAULT_LIMITS
) -> list[BatchRow]:
    """One row per file of ``paths``: ``check(parsed)`` returns the findings of a
    read report. ``progress(done, total, name)`` is called before each file and
    once at the end. Archives are unpacked into a temporary directory removed
    before returning."""
    with _workdir() as workdir, BoundedReader(limits.seconds_per_file) as reader:
        sources = collect(paths, workdir, limits)
        rows = []
        for done, source in enumerate(sources):
            if progress:
                progress(done, len(sources), source.name)
            rows.append(check_one(source, check, reader))
        if progress:
            progress(len(sources), len(sources), "")
        return rows


EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def batch_exit_code(rows: list[BatchRow]) -> int:
    """1 when any file has an error; otherwise 2 when any file could not be read; else 0."""
    if any(row.errors for row in rows):
        return EXIT_FINDINGS
    if any(row.unreadable for row in rows):
        return EXIT_UNREADABLE
    return EXIT_OK


def row_values(row: BatchRow) -> list:
    return [getattr(row, heading) for heading in HEADINGS]
