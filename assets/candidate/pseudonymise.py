"""Pseudonymisation of worker, case and response ids, and where the key comes from (docs/design.md §2).

An id becomes hex HMAC-SHA256(key, "<kind>:<id>"), so the same worker has the same pseudonym
in every extract and every year built with the same key, and nobody without the key can
reverse or re-derive it. The key itself never appears in any message.
"""

from __future__ import annotations

import hmac
import json
from pathlib import Path

import pandas as pd

from assets.candidate.contract import ID_KINDS
from psw_core.problems import Problem, UnusableInput

KINDS = frozenset(ID_KINDS.values())  # worker, case, response, assessment, audit
KEY_ENV = "PSW_PSEUDONYMISATION_KEY"
MIN_KEY_LENGTH = 16
# Used ONLY for the committed synthetic sample, whose files are listed in
# data/sample_manifest.json. It is public, so it protects nothing: real data needs a real key.
DEVELOPMENT_KEY = b"psw-report-sample-development-key-not-secret"


def pseudonym(key: bytes, kind: str, raw_id: str) -> str:
    """Hex HMAC-SHA256(key, f"{kind}:{raw_id}") (64 characters)."""
    if kind not in KINDS:
        raise ValueError(f"unknown id kind {kind!r}")
    return hmac.digest(key, f"{kind}:{raw_id}".encode(), "sha256").hex()


def pseudonymise_column(series: pd.Series, key: bytes, kind: str,
                        memo: dict[str, str] | None = None) -> pd.Series:
    """Pseudonyms for a column of ids; blanks stay blank. Hashes each distinct id once.

    `memo` (raw id -> pseudonym, for this key and kind) carries the hashes over to the next
    column of the same kind, so a case id in caseload, assessments and audits is hashed once.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown id kind {kind!r}")
    codes, uniques = pd.factorize(series.astype("string"))
    prefix = f"{kind}:".encode()
    memo = {} if memo is None else memo
    get, digest = memo.get, hmac.digest
    hashed = []
    for u in uniques.tolist():
        h = get(u)
        if h is None:
            h = memo[u] = digest(key, prefix + u.encode(), "sha256").hex()
        hashed.append(h)
    # Take from the distinct pseudonyms (code -1 -> NA): converts U strings, not N.
    values = pd.array(hashed, dtype="string").take(codes, allow_fill=True)
    return pd.Series(values, index=series.index, dtype="string")


def resolve_key(env_value: str | None, input_sha256s: list[str], manifest_path: Path) -> bytes:
    """The pseudonymisation key for a build.

    - PSW_PSEUDONYMISATION_KEY when set (at least 16 characters);
    - otherwise DEVELOPMENT_KEY, but only when every input file's SHA-256 is listed in the
      committed sample manifest (`"files": {name: sha256}`), i.e. the input is the sample;
    - otherwise an error telling the user to set the key.
    """
    if env_value:
        if len(env_value.encode()) < MIN_KEY_LENGTH:
            raise UnusableInput(_key_problem(
                "KEY-TOO-SHORT",
                f"{KEY_ENV} is set but shorter than {MIN_KEY_LENGTH} characters.",
                "Set it to a long random secret, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."))
        return env_value.encode()
    listed = _manifest_hashes(Path(manifest_path))
    if input_sha256s and listed and set(input_sha256s) <= listed:
        return DEVELOPMENT_KEY
    raise UnusableInput(_key_problem(
        "KEY-MISSING",
        f"{KEY_ENV} is not set and the input is not the committed sample data, so the ids "
        "cannot be pseudonymised.",
        f"Set {KEY_ENV} to your authority's secret key (keep it the same every year, and "
        "never commit it)."))


def _manifest_hashes(manifest_path: Path) -> set[str]:
    try:
        files = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return set()
    values = files.values() if isinstance(files, dict) else files
    return {str(v).lower() for v in values if isinstance(v, str)}


def _key_problem(rule: str, why: str, action: str) -> Problem:
    return Problem(file=KEY_ENV, rule=rule, severity="error", why=why, action=action)
