"""The authority's settings (`data/authority.yml`), validated against a schema, and the
reporting period they imply (docs/design.md §3 "The reporting period", §5)."""

from __future__ import annotations

import copy
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
    # Where we stand among councils (DfE's old LA code; region and neighbours override it).
    dfe_la_code: str | int | None = None
    region: str | None = None
    statistical_neighbours: tuple | list | None = None
    peers_illustrative: bool = False
    publication: dict = field(default_factory=dict)  # contact, email, report_url, dates
    column_names: dict = field(default_factory=dict)  # extract -> {local header: contract column}
    source_path: str = ""

    def publication_date(self, year: int) -> date | None:
        """The publication date set for the reporting year (authority.yml publication.dates)."""
        found = (self.publication.get("dates") or {}).get(str(year))
        return date.fromisoformat(str(found)) if found else None

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


_LOADED: dict[tuple, AuthorityConfig] = {}  # per process: one asset after another reads it


def _stat_key(path: Path) -> tuple:
    """A file as it is now, without reading it: where it is, its mtime and its size."""
    try:
        st = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


def load_config(path: str | Path) -> AuthorityConfig:
    """Read and validate authority.yml; a bad key or value raises UnusableInput naming it.

    Validating takes about 0.3 s (the schema and DfE's neighbour model) and a build asks for
    the settings once per asset, so a valid file is kept per process, keyed by its path and
    bytes (cheap to read), and by the schema's and the neighbour model's path, mtime and size.
    Callers get a copy, so none can change another's."""
    from psw_core.dfe_reference import DFE_DIR, NEIGHBOURS_FILE

    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError:
        text = None  # _load_config says why, as it always has
    # What a load depends on: the path as given (it becomes source_path) and the file's bytes.
    key = (str(path), text, _stat_key(SCHEMA_PATH), _stat_key(DFE_DIR / NEIGHBOURS_FILE))
    if text is None or key not in _LOADED:
        config = _load_config(path)
        if text is None:
            return config
        _LOADED[key] = config
    return copy.deepcopy(_LOADED[key])


def _load_config(path: Path) -> AuthorityConfig:
    import jsonschema

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
    config = AuthorityConfig(**data, source_path=str(path))
    resolve_peers(config)  # an unknown LA code, region or neighbour is an error naming it
    return config


@dataclass(frozen=True)
class Peers:
    """Who we compare with: our DfE LA code (if any), region and statistical neighbours in
    DfE's order, and where each came from ('DfE neighbour model' or 'authority.yml')."""

    la_code: str | None
    region: str | None
    neighbours: tuple[str, ...]
    region_from: str
    neighbours_from: str
    illustrative: bool


def resolve_peers(config: AuthorityConfig) -> Peers | None:
    """Region and ten statistical neighbours from `dfe_la_code` (DfE's 2025 model), either
    overridable in authority.yml; None when nothing is set. Raises UnusableInput naming the
    setting when a code or region is not in DfE's files."""
    from psw_core.dfe_reference import NEIGHBOURS_FILE, read_neighbour_model

    if config.dfe_la_code is None and config.region is None and not config.statistical_neighbours:
        return None
    model = read_neighbour_model().set_index("la_code")
    where = Path(config.source_path or "authority.yml")
    source = f"data/reference/dfe/{NEIGHBOURS_FILE}"
    code = None if config.dfe_la_code is None else str(config.dfe_la_code).strip()
    if code is not None and code not in model.index:
        raise UnusableInput(_problem(
            where, "CONFIG-004", f"Setting 'dfe_la_code' is invalid: '{code}' is not a DfE (old) "
            f"LA code in {source}.", value=code))
    regions = set(model["region_name"])
    region = config.region if config.region is not None else (
        model.loc[code, "region_name"] if code else None)
    if region is not None and region not in regions:
        raise UnusableInput(_problem(
            where, "CONFIG-005", f"Setting 'region' is invalid: '{region}' is not one of DfE's "
            f"regions ({', '.join(sorted(regions))}).", value=str(region)))
    given = config.statistical_neighbours
    neighbours = tuple(str(n).strip() for n in given) if given else (
        tuple(model.loc[code, "neighbours"]) if code else ())
    unknown = [n for n in neighbours if n not in model.index]
    repeated = sorted({n for n in neighbours if neighbours.count(n) > 1})
    if unknown or repeated or (code is not None and code in neighbours) or len(neighbours) > 10:
        why = (f"'{unknown[0]}' is not a DfE (old) LA code in {source}" if unknown else
               f"'{repeated[0]}' is listed twice" if repeated else
               "it lists more than ten councils" if len(neighbours) > 10 else
               f"it lists the council's own code '{code}'")
        raise UnusableInput(_problem(
            where, "CONFIG-006", f"Setting 'statistical_neighbours' is invalid: {why}.",
            value=", ".join(neighbours)[:80]))
    return Peers(
        la_code=code, region=region, neighbours=neighbours,
        region_from="authority.yml" if config.region is not None else "DfE neighbour model",
        neighbours_from="authority.yml" if given else "DfE neighbour model",
        illustrative=bool(config.peers_illustrative),
    )


def _problem(path: Path, rule: str, why: str, value: str | None = None) -> Problem:
    return Problem(
        file=str(path), rule=rule, severity="error", why=why, value=value,
        action="Fix data/authority.yml (see docs/architecture.md for each key).",
    )
