"""Stamps: content hashes that say whether something needs building again. The one source of
staleness (no Dagster, no GX here).

- `folder_stamp`: a year folder's extracts (names and bytes; never modification times). The
  new-extract sensor keys its runs on it; the candidate assets record it and take their data
  versions from their own files' stamps, so Dagster's "stale" follows the same content.
- `code_stamp`: the files an asset's logic lives in (its SQL file and its module). Each asset's
  Dagster code version is one.
- `year_stamp`: everything a year's outputs depend on, for `psw build`'s no-op check: the folder
  stamp, the settings, the code stamp of every code folder, the lock file, the reference data,
  the report sources (for the report year), the key tag and the year before's stamp.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from pathlib import Path

from psw_core.hashing import file_sha256

ROOT = Path(__file__).resolve().parent.parent

# Every folder whose files can change what a build writes.
CODE_DIRS = ("psw_core", "quarto_lite", "assets", "pipelines", "expectations")
CODE_PATTERNS = ("*.py", "*.sql", "*.json")

# Not extracts: hidden files, Office's "~$name.xlsx" lock files (present while a workbook is
# open in Excel) and the thumbnail/settings files Windows drops into shared folders.
IGNORED_NAMES = {"thumbs.db", "desktop.ini"}


def is_extract_file(path: Path) -> bool:
    name = path.name
    return (path.is_file() and not name.startswith((".", "~$"))
            and name.lower() not in IGNORED_NAMES)


def files_stamp(files: Iterable[Path]) -> str:
    """Hash of the files' names and contents, independent of the order given."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(f"{path.name}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def folder_stamp(folder: Path) -> str | None:
    """A year folder's extract files. None for a folder with no extract files yet."""
    files = [p for p in folder.iterdir() if is_extract_file(p)] if folder.is_dir() else []
    return files_stamp(files) if files else None


def code_stamp(paths: Iterable[Path]) -> str:
    """A short hash of source files (relative names and bytes): an asset's code version."""
    digest = hashlib.sha256()
    for path in sorted(Path(p).resolve() for p in paths):
        name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        digest.update(f"{name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def tree_stamp(folder: Path, patterns: tuple[str, ...]) -> str:
    files = sorted({p for pattern in patterns for p in Path(folder).rglob(pattern) if p.is_file()})
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.relative_to(folder).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def key_tag() -> str:
    """Changes when the pseudonymisation key changes, without revealing it."""
    key = os.environ.get("PSW_PSEUDONYMISATION_KEY", "")
    return hmac.new(key.encode(), b"psw-build-fingerprint", hashlib.sha256).hexdigest() if key else ""


def year_stamp(year_dir: Path, config: Path, previous: str, formats: str,
               report_dir: Path | None = None) -> str:
    """What a year's outputs depend on (see the module docstring). `formats` is empty for a
    year whose report is not rendered; `previous` is the stamp of the year before."""
    lock = ROOT / "requirements.lock"
    parts = [folder_stamp(year_dir), Path(config).read_bytes().hex(), previous, formats,
             lock.read_bytes().hex() if lock.exists() else "", key_tag()]
    parts += [tree_stamp(ROOT / name, CODE_PATTERNS) for name in CODE_DIRS if (ROOT / name).is_dir()]
    parts.append(tree_stamp(ROOT / "data" / "reference", ("*.csv",)))
    if formats:
        parts.append(tree_stamp(report_dir or Path(os.environ.get("PSW_REPORT_DIR", "report")), ("*",)))
    return hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()


def hashes_stamp(sha256s: Iterable[str]) -> str:
    """One version from the SHA-256 of an asset's source files (its Dagster data version)."""
    return hashlib.sha256("\n".join(sorted(sha256s)).encode()).hexdigest()[:16]
