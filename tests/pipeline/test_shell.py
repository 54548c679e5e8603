"""`make shell`: an analyst types a query at the prompt, in a real terminal, and reads the answer."""

import os
import pty
import re
import select
import sys
import time

from ledger.settings import PROJECT_ROOT


def _read_until(fd: int, marker: bytes, seen: bytearray, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while marker not in seen:
        assert time.monotonic() < deadline, f"no {marker!r} after {timeout}s; the terminal showed: {seen.decode()}"
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            seen += os.read(fd, 4096)


def test_shell_answers_a_query_and_refuses_writes(seeded):
    pid, fd = pty.fork()
    if pid == 0:  # the child: the shell on the seeded warehouse, its terminal a pseudo-terminal
        os.chdir(PROJECT_ROOT)
        os.environ["WAREHOUSE_DIR"] = str(seeded.storage.warehouse.root)
        os.execv(sys.executable, [sys.executable, "-m", "pipelines", "shell"])
    seen = bytearray()
    try:
        _read_until(fd, b"ledger> ", seen)
        os.write(fd, b"SELECT count(*) AS documents_now\r")
        _read_until(fd, b"...> ", seen)  # the statement goes on until its semicolon
        seen.clear()
        os.write(fd, b"FROM documents;\r")
        _read_until(fd, b"ledger> ", seen)
        header, _, rows = seen.decode().partition("int64")
        assert "documents_now" in header and re.findall(r"│ +(\d+) │", rows) == ["5"]  # the five seed articles
        seen.clear()
        os.write(fd, b"CREATE TABLE notes (note VARCHAR);\r")
        _read_until(fd, b"ledger> ", seen)
        assert "read-only" in seen.decode()
        os.write(fd, b".quit\r")
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        os.close(fd)
