"""The year's authored content in report/narrative/<year>/: YAML checked against a small
schema, and short Markdown prose files.

Authors edit these files and never touch code. A mistake stops the render with a message
naming the file and the field, e.g.
    narrative/2025/priorities.yml, field last_year[1].status: 'done-ish' is not one of [...]
Prose may quote a published figure as {{measure service}} (e.g. {{turnover_rate_fte children}})
so that no number is typed by hand, and say what the data says with {{change measure service}},
{{highest measure}} and {{lowest measure}} (claims.placeholder_words).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import yaml

from assets.report.support.formatting import Md

_TEXT = {"type": "string", "minLength": 1}
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}  # YYYY-MM-DD
SERVICE_ENUM = ["children", "adults", "both"]

SCHEMAS: dict[str, dict] = {
    "priorities.yml": {
        "type": "object",
        "additionalProperties": False,
        "required": ["last_year", "next_year"],
        "properties": {
            "last_year": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["priority", "status", "evidence"],
                    "properties": {
                        "priority": _TEXT,
                        "service": {"enum": SERVICE_ENUM},
                        "status": {"enum": ["achieved", "partly achieved", "in progress",
                                            "not achieved", "carried forward"]},
                        "evidence": _TEXT,
                    },
                },
            },
            "next_year": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["priority", "why", "success_measure"],
                    "properties": {
                        "priority": _TEXT,
                        "service": {"enum": SERVICE_ENUM},
                        "why": _TEXT,
                        "success_measure": _TEXT,
                        "lead": _TEXT,
                    },
                },
            },
            "recommendation": _TEXT,
        },
    },
    "inspection.yml": {
        "type": "object",
        "additionalProperties": False,
        "required": ["judgements"],
        "properties": {
            "judgements": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["regulator", "service", "inspection", "judgement", "date"],
                    "properties": {
                        "regulator": {"enum": ["Ofsted", "CQC", "CIW"]},
                        "service": {"enum": SERVICE_ENUM},
                        "inspection": _TEXT,
                        "judgement": {"enum": ["Outstanding", "Good", "Requires improvement",
                                               "Requires improvement to be good", "Inadequate",
                                               "Not yet rated", "No judgement (focused visit)"]},
                        "date": _DATE,
                        "summary": _TEXT,
                    },
                },
            },
        },
    },
    "actions.yml": {
        "type": "object",
        "additionalProperties": False,
        "required": ["actions"],
        "properties": {
            "actions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["you_said", "we_did"],
                    "properties": {
                        "theme": {"enum": ["workload", "wellbeing", "stress", "supervision",
                                           "learning", "equality", "culture",
                                           "intention_to_stay", "practice"]},
                        "you_said": _TEXT,
                        "we_did": _TEXT,
                        "status": {"enum": ["done", "in progress", "planned"]},
                    },
                },
            },
        },
    },
    "reviewed_comments.yml": {
        "type": "object",
        "additionalProperties": False,
        "required": ["comments"],
        "properties": {
            "comments": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["text", "service", "reviewed_by", "reviewed_on"],
                    "properties": {
                        "text": {"type": "string", "minLength": 1, "maxLength": 600},
                        "service": {"enum": SERVICE_ENUM},
                        "reviewed_by": _TEXT,
                        "reviewed_on": _DATE,
                    },
                },
            },
        },
    },
    "practitioner_quotes.yml": {
        "type": "object",
        "additionalProperties": False,
        "required": ["quotes"],
        "properties": {
            "quotes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["text", "role", "service", "consent", "reviewed_by",
                                 "reviewed_on"],
                    "properties": {
                        "text": {"type": "string", "minLength": 1, "maxLength": 600},
                        "role": _TEXT,  # e.g. "Social worker, hospital discharge team"
                        "service": {"enum": SERVICE_ENUM},
                        "consent": {"const": True},  # the practitioner agreed to be quoted
                        "reviewed_by": _TEXT,
                        "reviewed_on": _DATE,
                    },
                },
            },
        },
    },
    "learning_offer.yml": {
        "type": "object",
        "additionalProperties": False,
        "required": ["as_at"],
        "properties": {
            "as_at": _DATE,
            **{name: {
                "type": "object",
                "additionalProperties": False,
                "required": ["children", "adults"],
                "properties": {"children": {"type": "integer", "minimum": 0},
                               "adults": {"type": "integer", "minimum": 0}},
            } for name in ("apprentices", "practice_educators", "students")},
            "agency_spend": {
                "type": "object",
                "additionalProperties": False,
                "required": ["financial_year", "pounds"],
                "properties": {
                    "financial_year": {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
                    "pounds": {"type": "integer", "minimum": 0},
                    "previous_pounds": {"type": "integer", "minimum": 0},
                    "source": _TEXT,
                },
            },
        },
    },
    "cabinet.yml": {
        "type": "object",
        "additionalProperties": False,
        "required": ["meeting", "meeting_date", "report_of", "author", "contact", "purpose",
                     "recommendations", "decision_sought"],
        "properties": {
            "meeting": _TEXT,
            "meeting_date": _DATE,
            "report_of": _TEXT,
            "author": _TEXT,
            "contact": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "email"],
                "properties": {"name": _TEXT, "role": _TEXT, "email": _TEXT, "phone": _TEXT},
            },
            "purpose": _TEXT,
            "recommendations": {"type": "array", "minItems": 1, "items": _TEXT},
            "decision_sought": _TEXT,
            "wards": _TEXT,
            "key_decision": {"type": "boolean"},
        },
    },
}
REQUIRED_YAML = ("priorities.yml", "inspection.yml", "actions.yml")
PROSE_FILES = ("foreword.md", "practice_model.md", "practitioner_voice.md", "recognition.md")
# Optional prose: a section shows only when its file is there.
OPTIONAL_PROSE = ("psw_role.md", "reflections.md", "voice_of_people.md")
PLACEHOLDER = re.compile(
    r"\{\{\s*(?:(change|highest|lowest)\s+)?([a-z0-9_*]+)(?:\s+(children|adults|all))?\s*\}\}")
# Any {{...}}: one that PLACEHOLDER does not read is an error, not literal text.
ANY_PLACEHOLDER = re.compile(r"\{\{.*?\}\}", re.S)


class NarrativeError(ValueError):
    """An authored file is missing or malformed; the message names the file and the field."""


@dataclass
class Narrative:
    folder: Path
    data: dict[str, dict] = field(default_factory=dict)
    prose: dict[str, str] = field(default_factory=dict)
    placeholder: bool = False  # no narrative folder: every part is a marked placeholder

    @property
    def priorities(self) -> dict:
        return self.data.get("priorities.yml", {"last_year": [], "next_year": []})

    @property
    def inspection(self) -> list[dict]:
        return self.data.get("inspection.yml", {}).get("judgements", [])

    @property
    def actions(self) -> list[dict]:
        return self.data.get("actions.yml", {}).get("actions", [])

    @property
    def cabinet(self) -> dict:
        """The cover report's facts (cabinet.yml), or {} when the year has none."""
        return self.data.get("cabinet.yml", {})

    @property
    def practitioner_quotes(self) -> list[dict]:
        return self.data.get("practitioner_quotes.yml", {}).get("quotes", [])

    @property
    def learning_offer(self) -> dict:
        return self.data.get("learning_offer.yml", {})

    @property
    def reviewed_comments(self) -> list[dict]:
        return self.data.get("reviewed_comments.yml", {}).get("comments", [])


def _field_path(error: jsonschema.ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"{error.message} (check the spelling of the field name)"
    if error.validator == "pattern" and error.schema is _DATE:
        return f"{error.instance!r} is not a date written YYYY-MM-DD"
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"{error.instance!r} is not allowed; use one of {allowed}"
    return error.message


def _jsonable(value):
    """YAML dates become ISO strings so the schema (and the report) see one type."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_yaml(path: Path, schema: dict, shown: str | None = None) -> dict:
    """Read one narrative YAML file and check it; raise NarrativeError naming file and field."""
    shown = shown or str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NarrativeError(f"{shown}: the file is missing.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise NarrativeError(f"{shown}: this is not valid YAML{where}.") from None
    data = _jsonable(data if data is not None else {})
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        first = errors[0]
        more = f" ({len(errors) - 1} more problem(s) in this file)" if len(errors) > 1 else ""
        raise NarrativeError(f"{shown}, field {_field_path(first)}: {_message(first)}{more}")
    return data


def load_narrative(folder: str | Path) -> Narrative:
    """Every authored file of one year. The YAML files and prose files are required except
    reviewed_comments.yml (no comments are shown without it)."""
    folder = Path(folder)
    if not folder.is_dir():  # a new year's data arrives before its narrative is written
        return placeholder_narrative(folder)
    shown = f"{folder.parent.name}/{folder.name}" if folder.parent.name else folder.name
    narrative = Narrative(folder=folder)
    for name, schema in SCHEMAS.items():
        path = folder / name
        if name not in REQUIRED_YAML and not path.exists():
            continue
        narrative.data[name] = load_yaml(path, schema, f"narrative/{shown}/{name}")
    for name in PROSE_FILES:
        path = folder / name
        if not path.is_file():
            raise NarrativeError(f"narrative/{shown}/{name}: the file is missing.")
        narrative.prose[name] = path.read_text(encoding="utf-8").strip()
    for name in OPTIONAL_PROSE:
        if (folder / name).is_file():
            narrative.prose[name] = (folder / name).read_text(encoding="utf-8").strip()
    return narrative


def render_prose(text: str, name: str, figure, describe=None, source: str | None = None) -> Md:
    """Replace each {{measure service}} with `figure(measure, service)`, and each
    {{change|highest|lowest measure service}} with `describe(kind, measure, service)`.

    A placeholder that names no published figure, or is misspelt, raises NarrativeError naming
    the file and, when `source` (the whole file as written) is given, the line it is on."""

    def where(offset: int) -> str:
        if source is None:
            return name
        wanted = text[offset:].split("}}", 1)[0] + "}}"
        for number, line in enumerate(source.splitlines(), start=1):
            if wanted in line:
                return f"{name}, line {number}"
        return name

    def swap(match: re.Match) -> str:
        found = PLACEHOLDER.fullmatch(match.group(0))
        if found is None:
            raise NarrativeError(
                f"{where(match.start())}: {match.group(0)} is not a placeholder the report "
                "reads; write {{measure service}} or {{change|highest|lowest measure service}}."
            )
        kind, measure, service = found.group(1), found.group(2), found.group(3) or "all"
        try:
            if kind is None:
                return str(figure(measure, service))
            if describe is None:
                raise KeyError(measure)
            return str(describe(kind, measure, service))
        except KeyError:
            shown = " ".join(part for part in (kind, measure, service) if part)
            raise NarrativeError(
                f"{where(match.start())}: {{{{{shown}}}}} names no published figure."
            ) from None

    return Md(ANY_PLACEHOLDER.sub(swap, text))


def placeholders(text: str) -> list[tuple[str, str]]:
    return [(m.group(2), m.group(3) or "all") for m in PLACEHOLDER.finditer(text)]


# ------------------------------------------------------------------ a year with no narrative

MISSING = "[Narrative not written yet]"  # the mark every placeholder carries
DRAFT = "DRAFT"  # the mark `start_narrative` puts on what it carries over


def placeholder_narrative(folder: Path) -> Narrative:
    """Clearly marked placeholders for a year without report/narrative/<year>/, so the report
    still builds; `psw build` warns, and `psw narrative start YEAR` begins the real one."""
    year = folder.name
    todo = f"{MISSING} Run `psw narrative start {year}` and edit report/narrative/{year}/."
    prose = {name: f"**{MISSING}** This part of the report has not been written for {year}: "
                   f"run `psw narrative start {year}` and edit "
                   f"`report/narrative/{year}/{name}`." for name in PROSE_FILES}
    data = {
        "priorities.yml": {"last_year": [], "next_year": [
            {"priority": MISSING, "why": todo, "success_measure": todo}]},
        "inspection.yml": {"judgements": []},
        "actions.yml": {"actions": [{"you_said": MISSING, "we_did": todo}]},
    }
    return Narrative(folder=folder, data=data, prose=prose, placeholder=True)


def narrative_warnings(folder: Path) -> list[str]:
    """What `psw build` warns about before rendering: a missing folder, or drafts left in it."""
    folder = Path(folder)
    year = folder.name
    if not folder.is_dir():
        return [f"report/narrative/{year}/ does not exist: the {year} report is built with "
                f"marked placeholders. Run `psw narrative start {year}` to begin it."]
    drafts = sorted(p.name for p in folder.iterdir() if p.is_file() and DRAFT in p.read_text(
        encoding="utf-8", errors="replace"))
    return [f"report/narrative/{year}/ still has drafts carried over from last year: "
            f"{', '.join(drafts)}."] if drafts else []


def start_narrative(root: Path, year: int, previous: int | None = None) -> Path:
    """report/narrative/<year>/ from the previous year's: the structured YAML with its statuses
    reset (last year's next-year priorities become this year's to report on, actions become
    planned), inspection judgements kept, reviewed comments left out (they belong to one
    survey), and the prose kept as a marked draft. Refuses to overwrite an existing folder."""
    root = Path(root)
    target = root / str(year)
    if target.exists():
        raise NarrativeError(f"{target}: the narrative for {year} already exists; edit it.")
    earlier = sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()
                     and int(p.name) < year) if root.is_dir() else []
    previous = previous if previous is not None else (earlier[-1] if earlier else None)
    if previous is None or not (root / str(previous)).is_dir():
        raise NarrativeError(f"{root}: there is no earlier year's narrative to start {year} "
                             "from; copy report/narrative/ from the sample and edit it.")
    old = load_narrative(root / str(previous))
    carried = f"{DRAFT} (carried over from {previous}): "
    priorities = {
        "last_year": [{"priority": p["priority"], **({"service": p["service"]}
                                                     if "service" in p else {}),
                       "status": "in progress",
                       "evidence": f"{carried}add the evidence of progress in {year}."}
                      for p in old.priorities.get("next_year", [])],
        "next_year": [{**p, "priority": carried + p["priority"]}
                      for p in old.priorities.get("next_year", [])],
    }
    actions = {"actions": [{**a, "status": "planned", "we_did": carried + a["we_did"]}
                           for a in old.actions]}
    files = {"priorities.yml": priorities, "actions.yml": actions,
             "inspection.yml": {"judgements": old.inspection}}
    target.mkdir(parents=True)
    for name, data in files.items():
        load_yaml_text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)
        (target / name).write_text(
            f"# Started from {previous} by `psw narrative start {year}`: check every entry "
            f"marked {DRAFT}.\n" + load_yaml_text, encoding="utf-8")
        load_yaml(target / name, SCHEMAS[name])  # what we wrote must load
    for name, text in old.prose.items():
        (target / name).write_text(f"**{DRAFT}, carried over from {previous}: rewrite before "
                                   f"publishing.**\n\n{text}\n", encoding="utf-8")
    return target
