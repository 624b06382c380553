"""Pseudonymisation of worker, case and response ids, and where the key comes from (docs/design.md §2).

An id becomes the first 16 bytes of HMAC-SHA256(key, "<kind>:<id>"), so the same worker has
the same pseudonym in every extract and every year built with the same key, and nobody without
the key can reverse or re-derive it. The key itself never appears in any message.

Pseudonyms are stored as 16-byte BLOBs (DuckDB) and as `PSEUDONYM_DTYPE` (pandas, Arrow
fixed-size binary): a quarter of the 64-character hex text they were, and no Python object per
row. 128 bits keep collisions out of reach (about 2^-88 for a million ids). Their byte order is
the order of the old hex text, so ORDER BY an id gives the same rows as before. Where an id must
be shown (a failing row), it is shown as 32 lowercase hex characters (`pseudonym_hex`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from assets.candidate.contract import ID_KINDS
from psw_core.problems import Problem, UnusableInput

KINDS = frozenset(ID_KINDS.values())  # worker, case, response, assessment, audit
KEY_ENV = "PSW_PSEUDONYMISATION_KEY"
MIN_KEY_LENGTH = 16
# Used ONLY for the committed synthetic sample, whose files are listed in
# data/sample_manifest.json. It is public, so it protects nothing: real data needs a real key.
DEVELOPMENT_KEY = b"psw-report-sample-development-key-not-secret"
PSEUDONYM_BYTES = 16  # the first half of the HMAC-SHA256 digest
PSEUDONYM_DTYPE = pd.ArrowDtype(pa.binary(PSEUDONYM_BYTES))


def pseudonym(key: bytes, kind: str, raw_id: str) -> bytes:
    """The first 16 bytes of HMAC-SHA256(key, f"{kind}:{raw_id}") (the plain-Python reference)."""
    if kind not in KINDS:
        raise ValueError(f"unknown id kind {kind!r}")
    return hmac.digest(key, f"{kind}:{raw_id}".encode(), "sha256")[:PSEUDONYM_BYTES]


def pseudonym_hex(value: bytes | bytearray | memoryview) -> str:
    """A pseudonym as it is shown to people: 32 lowercase hex characters."""
    return bytes(value).hex()


def pseudonymise_column(series: pd.Series, key: bytes, kind: str,
                        con: duckdb.DuckDBPyConnection | None = None) -> pd.Series:
    """Pseudonyms for a column of ids; blanks stay blank. Hashes each distinct id once.

    The distinct ids are hashed in DuckDB, vectorised and on every core it may use: HMAC is
    spelled out as RFC 2104 defines it, SHA-256(key ^ opad || SHA-256(key ^ ipad || message)),
    with DuckDB's sha256 over BLOBs (one `hmac.digest` per id in Python took 2-3 times the CPU
    and one core). tests/candidate/test_ingest_pseudonymise.py checks it equals `pseudonym`.
    `con`: an in-memory connection to reuse across columns (opening one costs ~0.1 s).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown id kind {kind!r}")
    codes, uniques = pd.factorize(series.astype("string"))
    ids = pa.array(uniques, type=pa.string())
    if con is None:
        with duckdb.connect() as own:
            digests = _hmac_prefix(own, key, f"{kind}:", ids)
    else:
        digests = _hmac_prefix(con, key, f"{kind}:", ids)
    # Take from the distinct pseudonyms in Arrow (code -1 -> null): no Python object per row.
    taken = digests.take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.arrays.ArrowExtensionArray(taken), index=series.index)


_BLOCK = 64  # SHA-256's block size in bytes (RFC 2104's B)


def _hmac_prefix(con: duckdb.DuckDBPyConnection, key: bytes, prefix: str,
                 ids: pa.Array) -> pa.Array:
    """The first 16 bytes of HMAC-SHA256(key, prefix + id) of each id, in order (an Arrow
    fixed-size binary array)."""
    if len(key) > _BLOCK:  # RFC 2104: a longer key is hashed first
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner, outer = bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)
    con.execute("set preserve_insertion_order = true")  # row i is the pseudonym of id i
    con.register("distinct_ids", pa.table({"id": ids}))
    try:
        table = con.sql(
            "select unhex(left(sha256($outer || unhex(sha256($inner || encode($prefix || id)))), "
            "$hex_chars)) from distinct_ids",
            params={"outer": outer, "inner": inner, "prefix": prefix,
                    "hex_chars": 2 * PSEUDONYM_BYTES},
        ).to_arrow_table()
    finally:
        con.unregister("distinct_ids")
    return table.column(0).combine_chunks().cast(pa.binary(PSEUDONYM_BYTES))


def upgrade_stored_ids(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[str]:
    """Turn the id columns of `schema.name` that a warehouse made before 16-byte pseudonyms
    holds as 64-character hex text into the BLOBs of today, in place. The first 16 bytes are the
    first 32 hex characters (half the text), so years already promoted keep joining with new
    ones, with no need of the key. Returns the columns changed."""
    types = dict(con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ?", [schema, name]).fetchall())
    changed = [id_column for id_column in ID_KINDS if types.get(id_column) == "VARCHAR"]
    for id_column in changed:
        con.execute(f"alter table {schema}.{name} alter {id_column} type blob "
                    f"using unhex(left({id_column}, length({id_column}) // 2))")
    return changed


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
