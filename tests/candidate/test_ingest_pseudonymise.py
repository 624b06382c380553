"""Pseudonyms: stable, kind-separated, keyed; and where the key comes from."""

from __future__ import annotations

import hashlib
import hmac
import json

import pandas as pd
import pytest

from assets.candidate.pseudonymise import (
    DEVELOPMENT_KEY,
    PSEUDONYM_DTYPE,
    pseudonym,
    pseudonym_hex,
    pseudonymise_column,
    resolve_key,
)
from psw_core.problems import UnusableInput

KEY = b"0123456789abcdef-test"


def test_pseudonym_is_the_first_16_bytes_of_hmac_sha256_of_kind_and_id():
    expected = hmac.new(KEY, b"worker:W001", hashlib.sha256).digest()[:16]
    assert pseudonym(KEY, "worker", "W001") == expected
    assert len(expected) == 16
    # Shown to people as 32 hex characters: the first half of the old 64-character form.
    assert pseudonym_hex(expected) == hmac.new(KEY, b"worker:W001", hashlib.sha256).hexdigest()[:32]
    assert pseudonym(KEY, "case", "W001") != expected  # kinds never collide
    assert pseudonym(b"another-key-0123456", "worker", "W001") != expected


def test_column_is_stable_across_extracts_and_keeps_blanks():
    hr = pd.Series(["W1", "W2", None], dtype="string")
    caseload = pd.Series(["W2", "W2", "W1"], dtype="string")
    a, b = pseudonymise_column(hr, KEY, "worker"), pseudonymise_column(caseload, KEY, "worker")
    assert a.iloc[0] == b.iloc[2] == pseudonym(KEY, "worker", "W1")
    assert a.iloc[1] == b.iloc[0] == b.iloc[1]
    assert pd.isna(a.iloc[2])
    with pytest.raises(ValueError):
        pseudonymise_column(hr, KEY, "person")


def _manifest(tmp_path, hashes):
    path = tmp_path / "sample_manifest.json"
    path.write_text(json.dumps({"files": {f"f{i}.csv": h for i, h in enumerate(hashes)}}))
    return path


def test_environment_key_wins_and_must_be_long_enough(tmp_path):
    manifest = _manifest(tmp_path, ["a" * 64])
    assert resolve_key("a-long-enough-secret", ["b" * 64], manifest) == b"a-long-enough-secret"
    with pytest.raises(UnusableInput) as err:
        resolve_key("tiny-k3y", ["a" * 64], manifest)
    assert "tiny-k3y" not in str(err.value)  # the key never appears in a message


def test_development_key_only_for_the_committed_sample(tmp_path):
    manifest = _manifest(tmp_path, ["a" * 64, "b" * 64])
    assert resolve_key(None, ["a" * 64, "b" * 64], manifest) == DEVELOPMENT_KEY
    assert resolve_key("", ["a" * 64], manifest) == DEVELOPMENT_KEY
    with pytest.raises(UnusableInput) as err:
        resolve_key(None, ["a" * 64, "c" * 64], manifest)  # one file is not the sample
    assert "PSW_PSEUDONYMISATION_KEY" in str(err.value)
    with pytest.raises(UnusableInput):
        resolve_key(None, [], manifest)
    with pytest.raises(UnusableInput):
        resolve_key(None, ["a" * 64], tmp_path / "missing.json")


@pytest.mark.parametrize("key", [KEY, b"k" * 64, b"a-key-longer-than-one-sha256-block-" * 3])
def test_column_hashed_in_duckdb_equals_hmac_for_every_key_length_and_text(key):
    # The column's pseudonyms come from RFC 2104 spelled out in SQL: each must equal Python's
    # hmac, for keys shorter than, equal to and longer than the 64-byte block (hashed first),
    # and for ids with non-ASCII, empty and repeated text, in the column's order.
    ids = ["W1", "", "Zoë-7", "W1", None, "案件 42", "W" * 200]
    got = pseudonymise_column(pd.Series(ids, dtype="string"), key, "case")
    expected = [None if i is None else hmac.new(key, f"case:{i}".encode(), hashlib.sha256).digest()[:16]
                for i in ids]
    assert [None if pd.isna(v) else v for v in got] == expected
    assert [None if i is None else pseudonym(key, "case", i) for i in ids] == expected
    assert got.dtype == PSEUDONYM_DTYPE  # Arrow fixed-size binary: no Python object per row


def test_pseudonyms_sort_as_their_old_hex_text_did():
    # ORDER BY an id (ties broken in measures' sums and ranks) must pick the same order as the
    # 64-character hex it replaced, so that outputs stay byte-identical.
    ids = pd.Series([f"W{i}" for i in range(500)], dtype="string")
    got = pseudonymise_column(ids, KEY, "worker")
    hex_order = sorted(range(500), key=lambda i: hmac.new(KEY, f"worker:W{i}".encode(),
                                                          hashlib.sha256).hexdigest())
    assert sorted(range(500), key=lambda i: got.iloc[i]) == hex_order


def test_a_warehouse_of_64_hex_ids_is_upgraded_in_place_and_years_still_join():
    # A year promoted before 16-byte pseudonyms holds 64-character hex: promoting a new year
    # turns it into the same BLOBs (its first 32 hex characters), so one worker stays one.
    import duckdb

    from assets.candidate.store import write_candidates
    from assets.raw.warehouse import promote_year

    con = duckdb.connect()
    con.execute("create schema raw")
    old = hmac.new(KEY, b"worker:W1", hashlib.sha256).hexdigest()
    con.execute("create table raw.hr_workforce as select ?::varchar as worker_id, "
                "2024 as reporting_year", [old])
    con.execute("create table raw.learning as select ?::varchar as worker_id, "
                "2024 as reporting_year", [old])  # an extract the new year does not have
    con.execute("create schema candidate")  # a candidate table left by the old code
    con.execute("create table candidate.hr_workforce as select ?::varchar as worker_id, "
                "2023 as reporting_year", [old])
    ids = pseudonymise_column(pd.Series(["W1", "W2"], dtype="string"), KEY, "worker")
    write_candidates(con, 2025, {"hr_workforce": pd.DataFrame(
        {"worker_id": ids, "reporting_year": [2025, 2025]})})
    promote_year(con, 2025)
    for table in ("candidate.hr_workforce", "raw.hr_workforce", "raw.learning"):
        assert con.execute(f"select data_type from information_schema.columns where "
                           f"table_schema || '.' || table_name = '{table}' and "
                           "column_name = 'worker_id'").fetchone()[0] == "BLOB"
    rows = con.execute("select reporting_year, worker_id from raw.hr_workforce "
                       "order by 1, 2").fetchall()
    assert rows == [(2024, pseudonym(KEY, "worker", "W1")), (2025, pseudonym(KEY, "worker", "W1")),
                    (2025, pseudonym(KEY, "worker", "W2"))]
    assert con.execute("select worker_id from candidate.hr_workforce where reporting_year = 2023"
                       ).fetchone()[0] == pseudonym(KEY, "worker", "W1")
    assert con.execute("select count(*) from raw.learning join raw.hr_workforce "
                       "using (worker_id)").fetchone()[0] == 2
