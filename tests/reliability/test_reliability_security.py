"""Security hygiene: SQL is never built from data values or paths, the UI binds to loopback by
default, dependencies are pinned with hashes, and docs/security.md covers what it must."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

from reliability_helpers import PSW, ROOT, assert_no_traceback, psw_env

SQL_METHODS = {"execute", "executemany", "sql", "query"}
# Names an f-string SQL statement may interpolate: identifiers taken from the code's own
# constants (schema, table, model and column names from the registries, SQL files shipped with
# the code, fixed clauses) or from information_schema. Never a value, a path or a setting.
ALLOWED_NAMES = {
    "name",  # table names from contract.TABLES / WAREHOUSE_TABLES / registries / catalogue
    "id_column",  # contract.ID_KINDS keys (pseudonymise.upgrade_stored_ids)
    "schema",  # warehouse.SCHEMAS
    "model",  # staging.models.MODELS keys
    "shape",  # constant stand-in SELECTs in metrics.measures
    "sql",  # SQL text read from files shipped beside the code
    "placeholders",  # "?, ?, ?": one per bound parameter
    "year_filter",  # "<=" or "="
    "where",  # " WHERE reporting_year = ?" or ""
}
ALLOWED_JOINS = re.compile(r"^', '\.join\([A-Z][A-Z0-9_]*\)$")  # ', '.join(CONSTANT_COLUMNS)
SUSPECT = re.compile(r"path|file|dir|^year$|value|key|^id$|text|str\(|repr\(|settings|config|env",
                     re.I)


def _sql_calls():
    for base in ("assets", "pipelines"):
        for path in sorted((ROOT / base).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in SQL_METHODS and node.args):
                    yield path.relative_to(ROOT), node, node.args[0]


def test_no_sql_is_formatted_from_data_values_or_paths():
    problems = []
    for path, node, first in _sql_calls():
        where = f"{path}:{node.lineno}"
        if isinstance(first, ast.BinOp) or (
                isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute)
                and first.func.attr == "format"):
            problems.append(f"{where}: SQL built with + / % / .format(): {ast.unparse(first)}")
        if not isinstance(first, ast.JoinedStr):
            continue
        for part in ast.walk(first):
            if not isinstance(part, ast.FormattedValue):
                continue
            expr = ast.unparse(part.value)
            if isinstance(part.value, ast.Name) and part.value.id in ALLOWED_NAMES:
                continue
            if ALLOWED_JOINS.match(expr):
                continue
            problems.append(f"{where}: interpolates {expr!r}; bind it as a parameter (?) or "
                            "add a constant identifier to ALLOWED_NAMES")
    assert problems == [], "\n".join(problems)


def test_the_allow_list_holds_no_value_like_names():
    assert not [n for n in ALLOWED_NAMES if SUSPECT.search(n)]


def test_sql_scanner_catches_an_interpolated_path():
    tree = ast.parse('con.execute(f"attach \'{path}\' as x")')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    parts = [ast.unparse(p.value) for p in ast.walk(call.args[0])
             if isinstance(p, ast.FormattedValue)]
    assert parts == ["path"] and "path" not in ALLOWED_NAMES


def test_ui_binds_to_loopback_by_default(tmp_path):
    done = subprocess.run([PSW, "ui", "--help"], cwd=ROOT, env=psw_env(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert_no_traceback(done.stdout, done.stderr)
    help_text = re.sub(r"\s+", " ", done.stdout)
    assert re.search(r"--host.*default: 127\.0\.0\.1", help_text), done.stdout
    for path in [*(ROOT / "pipelines").rglob("*.py"), ROOT / "Makefile"]:
        assert "0.0.0.0" not in path.read_text(encoding="utf-8"), f"{path} binds every interface"


def test_every_locked_dependency_is_pinned_with_hashes():
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pinned, unpinned, hashes = {}, [], {}
    current = None
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash="):
            assert re.fullmatch(r"--hash=sha256:[0-9a-f]{64}( \\)?", stripped), line
            hashes[current] = hashes.get(current, 0) + 1
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]+\])?)==([^\s;]+)"
                             r"(?:\s*;[^\\]+)?\s*\\?", stripped)
        if match:
            current = match.group(1).lower()
            pinned[current] = match.group(2)
        else:
            unpinned.append(line)
    assert unpinned == [], f"requirements.lock lines that are not name==version: {unpinned}"
    assert len(pinned) > 50
    assert [n for n in pinned if not hashes.get(n)] == [], "every pin needs at least one hash"


def test_security_doc_covers_the_threat_model_and_key_rotation():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8").lower()
    for needle in ("threat model", "data team", "report readers", "ci logs", "dagster ui",
                   "sample_manifest.json", "development key", "rotate", "rebuild",
                   "known weaknesses", "hmac-sha256", "psw_pseudonymisation_key"):
        assert needle in text, f"docs/security.md does not mention {needle!r}"
    assert Path(ROOT / "README.md").read_text(encoding="utf-8").count("docs/security.md")


def test_key_rotation_changes_the_build_fingerprint(monkeypatch, tmp_path):
    """After rotating the key every year must be rebuilt from raw: a build that kept a year
    because 'nothing changed' would mix old and new pseudonyms across years. The fingerprint
    must change with the key without revealing it."""
    from pipelines.build import fingerprint

    year = tmp_path / "2025"
    year.mkdir()
    (year / "hr_workforce.csv").write_text("worker_id\nW1\n", encoding="utf-8")
    keys = ("first-key-0123456789abcdef", "second-key-0123456789abcdef")
    prints = []
    for key in keys:
        monkeypatch.setenv("PSW_PSEUDONYMISATION_KEY", key)
        prints.append(fingerprint(year, ROOT / "data" / "authority.yml", "", ""))
    assert prints[0] != prints[1]
    assert not any(k in p or k.encode().hex() in p for k in keys for p in prints)
