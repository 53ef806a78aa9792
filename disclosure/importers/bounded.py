"""Reading an uploaded report with a bound on time: ``parse_bounded``.

A hostile or broken file (a PDF whose content streams never end, a Word file with a
pathological table) must not hold a web worker, a Celery worker or a batch for ever.
``parse_bounded`` runs ``detect.parse_report_bytes`` in a child process and kills it
when the time is up; the caller gets a ``ReportParseError`` naming the file.

The child comes from a ``forkserver`` (never a plain ``fork``: the callers are gunicorn
workers, Celery workers and threads of Django's live test server, and forking a process
that has threads can copy a held lock). The fork server preloads the readers once, so a
call costs a fork of that small process, not a fresh interpreter importing pdfplumber,
lxml and python-docx. The server is started by the first call in each process and lives
as long as that process. ``BoundedReader`` keeps one child for the files of a batch (one
fork per batch, not per file), replacing it after a timeout. Measured on two shared
cores: about 50 ms a call for the fork and the child's first read (its caches start
cold), 0.5 ms a file with a reused ``BoundedReader``; ``spawn`` costs several hundred
milliseconds a call.

The parsed report travels back pickled, without its ``Format`` (sent as its code and
looked up again here, so the caller gets the registry's own object).
"""

from __future__ import annotations

import dataclasses
import logging
import math
import multiprocessing
import os
import resource
import threading
from multiprocessing import forkserver
from multiprocessing.process import AuthenticationString

from disclosure.formats import get_format

from .detect import parse_report_bytes
from .text import ParsedReport, ReportParseError

DEFAULT_SECONDS = 30.0
_STOP_SECONDS = 1.0  # how long a finished child may take to exit before it is killed
_CPU_FACTOR = 2  # a child's processor time per file, in bounds: ended by the kernel past it
# The readers, imported once by the fork server. ``__main__`` too, for the Pythons that pass
# it on: 3.11 does not (each child then runs the main script's top level as ``__mp_main__``
# again, cheap for manage.py, gunicorn, celery and pytest, whose top level only imports).
_PRELOAD = ["__main__", "disclosure.importers.bounded"]
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(_PRELOAD)


def _forget_fork_server() -> None:
    """In a process forked from one whose fork server runs (a Celery or test worker
    forked after a read): that server is not its child, so it starts its own."""
    server = forkserver._forkserver
    server._forkserver_pid = server._forkserver_address = server._forkserver_alive_fd = None
    server._lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_fork_server)

logger = logging.getLogger(__name__)


def timeout_message(name: str, seconds: float) -> str:
    return f"读取文件“{name}”超时（超过{seconds:g}秒），文件可能已损坏或过于复杂"


def parse_bounded(
    data: bytes, name: str, *, year: int | None = None, seconds: float = DEFAULT_SECONDS
) -> ParsedReport:
    """``parse_report_bytes`` in a child process that is killed after ``seconds``.

    Raises ``ReportParseError`` for everything the readers refuse (same message and
    line as in-process), for a timeout (``timeout_message``) and for a child that died.
    """
    with BoundedReader(seconds) as reader:
        return reader.parse(data, name, year=year)


class BoundedReader:
    """One child process reused for the files of one batch (one user's files, read one
    after another), each file bounded by ``seconds``; a child that timed out or died is
    killed and the next file gets a new one. Use as a context manager (the child is
    stopped at the end). Not shared between threads."""

    def __init__(self, seconds: float = DEFAULT_SECONDS):
        self.seconds = seconds
        self._child = None
        self._conn = None

    def __enter__(self) -> BoundedReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The current child's process id (None before the first file and after a kill)."""
        return self._child.pid if self._child is not None else None

    def parse(self, data: bytes, name: str, *, year: int | None = None) -> ParsedReport:
        if self._child is None:
            self._start()
        try:
            self._conn.send((data, name, year, self.seconds * _CPU_FACTOR + 1))
            if not self._conn.poll(self.seconds):
                self._kill()
                raise ReportParseError(timeout_message(name, self.seconds), None)
            outcome = self._conn.recv()
        except (EOFError, OSError) as exc:
            exitcode = self._kill()
            logger.warning("reading %r: the child process ended with code %s", name, exitcode)
            raise ReportParseError(f"读取文件“{name}”失败，文件可能已损坏或过于复杂", None) from exc
        return _result(outcome, name)

    def close(self) -> None:
        """Ask the child to finish, and kill it if it does not at once."""
        if self._child is None:
            return
        try:
            self._conn.send(None)
        except OSError:
            pass
        self._child.join(_STOP_SECONDS)
        self._kill()

    def _start(self) -> None:
        current = multiprocessing.current_process()
        if type(current.authkey) is not AuthenticationString:
            # a Celery prefork worker (billiard's process, with billiard's key, which
            # multiprocessing's pickler refuses): the same key, as multiprocessing's type
            current._config["authkey"] = AuthenticationString(bytes(current.authkey))
        ours, theirs = _CONTEXT.Pipe()
        child = _CONTEXT.Process(target=_serve, args=(theirs,), daemon=True)
        # A Celery prefork worker is a daemonic process, and multiprocessing refuses
        # children to those (so that none outlives it): this child cannot outlive its work
        # for long either (the CPU limit of ``_serve``), so it is allowed.
        daemonic = current.daemon
        try:
            if daemonic:
                current.daemon = False
            child.start()
        except BaseException:
            ours.close()
            raise
        finally:
            if daemonic:
                current.daemon = True
            theirs.close()
        self._child, self._conn = child, ours

    def _kill(self) -> int | None:
        child, conn = self._child, self._conn
        self._child = self._conn = None
        if child is None:
            return None
        conn.close()
        if child.is_alive():
            child.kill()
        child.join()
        exitcode = child.exitcode
        child.close()
        return exitcode


def _result(outcome: tuple, name: str) -> ParsedReport:
    kind = outcome[0]
    if kind == "ok":
        parsed, code = outcome[1], outcome[2]
        return dataclasses.replace(parsed, format=get_format(code))
    if kind == "refused":
        raise ReportParseError(outcome[1], outcome[2])
    logger.error("reading %r failed in the child process: %s", name, outcome[1])
    raise ReportParseError(f"读取文件“{name}”失败，文件可能已损坏", None)


def _serve(conn) -> None:
    """The child: read each file sent until ``None`` (or the parent's end of the pipe).
    Each file may use ``cpu_seconds`` of processor time: the kernel ends the child past
    that, should its parent be gone before it could kill it."""
    try:
        while (job := conn.recv()) is not None:
            data, name, year, cpu_seconds = job
            _limit_cpu(cpu_seconds)
            conn.send(_outcome(data, name, year))
    except (EOFError, OSError):
        pass
    finally:
        conn.close()


def _limit_cpu(seconds: float) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = math.ceil(used.ru_utime + used.ru_stime + seconds)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))


def _outcome(data: bytes, name: str, year: int | None) -> tuple:
    try:
        parsed = parse_report_bytes(data, name, year=year)
    except ReportParseError as exc:
        return ("refused", str(exc), exc.line)
    except Exception as exc:  # any reader bug becomes this file's refusal, not a crash
        return ("failed", f"{type(exc).__name__}: {exc}")
    return ("ok", dataclasses.replace(parsed, format=None), parsed.format.code)
