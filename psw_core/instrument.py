"""A test hook for crash tests: stop at a named point so that a test can SIGKILL the process.

`pause_point(name)` does nothing unless the environment variable `PSW_TEST_PAUSE_AT` equals
`name`. Then it writes a marker file named by `PSW_TEST_PAUSE_FILE` (the process id, so the
test knows it has arrived) and sleeps, for at most `PSW_TEST_PAUSE_SECONDS` (default 300), so
the test can kill the process exactly there. Points in the code: "ingest" (candidates
written), "promote" (inside the promote transaction, between DELETE and INSERT), "measures"
(metrics built, connection still open) and "render" (outputs made, not yet moved into place).

It is never set in normal use; tests/reliability sets it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_AT_ENV = "PSW_TEST_PAUSE_AT"
PAUSE_FILE_ENV = "PSW_TEST_PAUSE_FILE"
PAUSE_SECONDS_ENV = "PSW_TEST_PAUSE_SECONDS"


def pause_point(name: str) -> None:
    """Pause here when the tests ask for it (see the module docstring); otherwise a no-op."""
    if os.environ.get(PAUSE_AT_ENV) != name:
        return
    marker = os.environ.get(PAUSE_FILE_ENV)
    if marker:
        Path(marker).write_text(f"{os.getpid()} {name}\n", encoding="utf-8")
    try:
        seconds = float(os.environ.get(PAUSE_SECONDS_ENV) or 300)
    except ValueError:
        seconds = 300.0
    time.sleep(seconds)
