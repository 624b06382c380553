"""The authority's settings (`data/authority.yml`), validated against a schema, and the
reporting period they imply (DESIGN §3 "The reporting period", §5)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

import yaml

from psw_core.problems import Problem, UnusableInput

SCHEMA_PATH = Path(__file__).with_name("authority_schema.json")


@dataclass(frozen=True)
class AuthorityConfig:
    name: str
    code: str
    nation: str = "england"
    period: str = "dfe"
    targets: dict = field(default_factory=lambda: {"supervision_compliance": 90, "asye_caseload_cap": 10})
    timescales: dict = field(
        default_factory=lambda: {
            "single_assessment": {"days": 45, "basis": "working"},
            "care_act_assessment": {"days": 28, "basis": "calendar"},
        }
    )
    # ASYE supervision schedule from the ASYE spell's role_start_date (docs/measures.md): each
    # phase runs `until` weeks or months after the start (the last runs on), with a session
    # due every `every` days or months. Default: the ASYE framework (Skills for Care), weekly
    # for the first 6 weeks, fortnightly to 6 months, then monthly.
    asye_supervision: tuple = (
        {"until": {"weeks": 6}, "every": {"days": 7}},
        {"until": {"months": 6}, "every": {"days": 14}},
        {"every": {"months": 1}},
    )
    suppression_threshold: int = 5
    benchmark_vintage: str = ""
    code_maps: dict = field(default_factory=dict)
    source_path: str = ""

    def reference_date(self, year: int) -> date:
        """R: 30 September Y (DfE basis) or 31 March Y (financial basis)."""
        return date(year, 9, 30) if self.period == "dfe" else date(year, 3, 31)

    def period_start(self, year: int) -> date:
        """First day of P: the day after R - 1 year."""
        r = self.reference_date(year)
        return r.replace(year=r.year - 1) + timedelta(days=1)

    @cached_property
    def country_code(self) -> str:
        """Nation as the `holidays` package names its subdivision of GB."""
        return {"england": "ENG", "wales": "WLS"}[self.nation]


def load_config(path: str | Path) -> AuthorityConfig:
    """Read and validate authority.yml; a bad key or value raises UnusableInput naming it."""
    import jsonschema

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UnusableInput(_problem(path, "CONFIG-001", "The authority settings file was not found.")) from exc
    except yaml.YAMLError as exc:
        raise UnusableInput(_problem(path, "CONFIG-002", f"The file is not valid YAML: {exc}")) from exc
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        err = errors[0]
        where = ".".join(str(p) for p in err.path) or "(top level)"
        raise UnusableInput(
            _problem(path, "CONFIG-003", f"Setting '{where}' is invalid: {err.message}.", value=str(err.instance)[:80])
        )
    schedule = data.get("asye_supervision")
    if schedule is not None and (any("until" not in phase for phase in schedule[:-1])
                                 or "until" in schedule[-1]):
        raise UnusableInput(_problem(
            path, "CONFIG-003", "Setting 'asye_supervision' is invalid: every phase but the "
            "last needs `until` (weeks or months after the ASYE start), and the last runs on "
            "without one.", value=str(schedule)[:80]))
    return AuthorityConfig(**data, source_path=str(path))


def _problem(path: Path, rule: str, why: str, value: str | None = None) -> Problem:
    return Problem(
        file=str(path), rule=rule, severity="error", why=why, value=value,
        action="Fix data/authority.yml (see docs/architecture.md for each key).",
    )
