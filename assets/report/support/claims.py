"""Authored claims checked against the published figures (`psw report --check`).

Authors write figures and directions through placeholders that render from the data
(narrative.py). This check reads what they typed by hand in `narrative/<year>/` and flags a
sentence the published snapshot does not support:

- a direction word ("more", "rose", "fewer", "fell", ...) next to a measure whose year-on-year
  change (docs/design.md §4 change rule, the published `year_on_year` judgement) says otherwise;
- "highest" or "lowest" next to a measure, when the service (or health check theme) named is
  not the highest or lowest in the published figures;
- a statement that people joined by a route (e.g. international recruitment) when the
  published count is 0 or suppressed, so the report cannot show it happened;
- a hand-typed percentage or number of hours next to a measure that matches no published
  figure for it.

Each problem names the file and line. Sentences that use a placeholder for the measure are
trusted: the placeholder renders from the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from assets.report.support.formatting import to_number
from assets.report.support.language import FELL, ROSE, direction_word
from assets.report.support.snapshot import Snapshot

# Phrases that name a measure, in the words authors use. Order matters: first match wins.
TOPICS: tuple[tuple[str, str], ...] = (
    (r"(?:able|intend\w*|intention|plan\w*|want\w*) to stay", "health_check_favourable_intention_to_stay"),
    (r"hours over (?:their )?contract\w*", "hours_over_contract_mean"),
    (r"equality (?:score|question|theme)s?", "health_check_favourable_equality"),
    (r"workload (?:score|question|theme)s?", "health_check_favourable_workload"),
    (r"supervision (?:score|question|theme)s?", "health_check_favourable_supervision"),
    (r"wellbeing (?:score|question|theme)s?", "health_check_favourable_wellbeing"),
    (r"(?:fte )?turnover", "turnover_rate_fte"),
    (r"vacanc(?:y|ies)(?: rate)?", "vacancy_rate_fte"),
    (r"agency (?:workers|staff|reliance|rate)", "agency_rate_fte"),
    (r"sickness|absence", "absence_days_per_fte"),
    (r"caseloads?", "caseload_fte"),
    (r"stability", "stability_rate"),
    (r"response rate", "health_check_response_rate"),
)
# Health check themes where agreeing is good; "stress" (agreeing = often stressed) is not
# compared with them.
POSITIVE_THEMES = ("culture", "equality", "intention_to_stay", "learning", "practice",
                   "supervision", "wellbeing", "workload")
# Routes by which people join, as authors name them, and the published route code.
ROUTE_PHRASES = {
    r"international (?:colleagues|recruits?|social workers|recruitment)": "international_recruit",
    r"(?:degree )?apprentices?": "apprenticeship",
}
UP = r"more|rose|risen|increased|higher|grew|grown|up"
DOWN = r"fewer|fell|fallen|decreased|lower|less|down|dropped|declined"
JOINED = r"joined|recruited|welcomed|arrived|started"
SERVICE_WORDS = {"children": r"children'?s", "adults": r"adults'?|adult"}
NUMBER = re.compile(r"(?<![\w{.])(\d+(?:\.\d+)?)\s*(%|per ?cent|hours?)")
PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}")


@dataclass(frozen=True)
class ClaimProblem:
    file: str
    line: int
    text: str
    why: str

    def describe(self) -> str:
        return f"{self.file}, line {self.line}: {self.why}\n    \"{self.text}\""


def _sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; a sentence ends at . ! ? or a blank line."""
    out, start = [], 0
    for match in re.finditer(r"[.!?](?=\s)|\n\s*\n|$", text):
        piece = text[start:match.end()]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((start + lead, " ".join(piece.split())))
        start = match.end()
    return out


def _service_in(sentence: str, default: str | None) -> str | None:
    default = "all" if default == "both" else default
    found = [s for s, pattern in SERVICE_WORDS.items()
             if re.search(rf"\b{pattern}", sentence, flags=re.I)]
    return found[0] if len(found) == 1 else default


def _topic(sentence: str) -> tuple[str, str] | None:
    for pattern, measure in TOPICS:
        match = re.search(rf"\b{pattern}\b", sentence, flags=re.I)
        if match:
            return match.group(0), measure
    return None


def check_sentence(sentence: str, snap: Snapshot, service: str | None = None) -> list[str]:
    """Why the snapshot does not support this sentence (empty when it does, or cannot say)."""
    problems = []
    bare = PLACEHOLDER.sub(" ", sentence)
    topic = _topic(bare)
    if topic is not None:
        phrase, measure = topic
        placeholder_for_it = any(measure in m for m in PLACEHOLDER.findall(sentence))
        # The service of the clause that names the measure, else the sentence's or the item's.
        clause = next((c for c in re.split(r"[,;:]|\band\b", bare) if phrase in c), bare)
        where = _service_in(clause, service) or "all"
        if not placeholder_for_it:
            problems += _direction(bare, phrase, measure, where, snap)
            problems += _figures(bare, phrase, measure, snap)
        problems += _extreme(bare, phrase, measure, _service_in(bare, service), snap)
    problems += _joined(bare, snap, _service_in(bare, service) or "all")
    return problems


def _direction(sentence: str, phrase: str, measure: str, service: str, snap: Snapshot) -> list[str]:
    # "higher than we want", "less so": comparisons with something else, not with last year.
    words = re.findall(rf"\b(?:{UP}|{DOWN})\b(?! than\b| so\b)", sentence, flags=re.I)
    if not words:
        return []
    said = ROSE if re.fullmatch(UP, words[0].lower()) else FELL
    data = direction_word(snap.yoy(measure, service))
    if data is None or data == said:
        return []
    row = snap.yoy(measure, service)
    return [f"'{words[0]}' next to '{phrase}', but {measure.replace('_', ' ')} ({service}) "
            f"{data} last year ({row['previous_value']} then, {row['value']} now). Write "
            f"{{{{change {measure} {service}}}}} so the words come from the data."]


def _figures(sentence: str, phrase: str, measure: str, snap: Snapshot) -> list[str]:
    published = {round(v, 1) for s in ("children", "adults", "all")
                 if (v := snap.value(measure, s)) is not None}
    out = []
    for number, unit in NUMBER.findall(sentence):
        if round(float(number), 1) not in published:
            out.append(f"the hand-typed figure {number}{'%' if '%' in unit else ' ' + unit} "
                       f"next to '{phrase}' matches no published figure for it; write "
                       f"{{{{{measure} <service>}}}} instead.")
    return out


def _extreme(sentence: str, phrase: str, measure: str, service: str | None,
             snap: Snapshot) -> list[str]:
    word = re.search(r"\b(highest|lowest|most|least|best|worst)\b", sentence, flags=re.I)
    if not word:
        return []
    high = word.group(1).lower() in ("highest", "most", "best")
    if re.search(r"\b(?:any|all|every) (?:other )?(?:theme|standard|question)s?\b", sentence,
                 flags=re.I) and measure.startswith("health_check_favourable_"):
        scores = {t: snap.value(f"health_check_favourable_{t}", "all") for t in POSITIVE_THEMES}
        scores = {t: v for t, v in scores.items() if v is not None}
        theme = measure.removeprefix("health_check_favourable_")
        if theme in scores:
            best = (max if high else min)(scores, key=scores.get)
            if best != theme:
                return [f"'{word.group(1)}' next to '{phrase}', but the {theme.replace('_', ' ')} "
                        f"score ({scores[theme]}) is not the {word.group(1).lower()} theme: "
                        f"{best.replace('_', ' ')} is ({scores[best]})."]
        return []
    if service not in ("children", "adults"):
        return []
    other = "adults" if service == "children" else "children"
    mine, theirs = snap.value(measure, service), snap.value(measure, other)
    if mine is None or theirs is None or (mine > theirs if high else mine < theirs):
        return []
    return [f"'{word.group(1)}' next to '{phrase}' for {service}' services, but {service}' "
            f"figure ({mine}) is not {'above' if high else 'below'} {other}' ({theirs})."
            .replace("children' ", "children's ").replace("childrens'", "children's")]


def _joined(sentence: str, snap: Snapshot, service: str) -> list[str]:
    if not re.search(rf"\b(?:{JOINED})\b", sentence, flags=re.I):
        return []
    routes = snap.table("starters_by_route")
    out = []
    for pattern, route in ROUTE_PHRASES.items():
        said = re.search(rf"\b{pattern}\b", sentence, flags=re.I)
        if not said or routes.empty:
            continue
        hit = routes[(routes["route"] == route) & (routes["service"] == service)]
        if hit.empty:  # the extract records no such route: nothing to check against
            continue
        shown = str(hit.iloc[0]["count"])
        value = to_number(shown)
        if value is None or value <= 0:
            out.append(f"says {said.group(0)} joined, but the published count of starters by "
                       f"that route ({service}) is {shown}: the report cannot show it.")
    return out


def _yaml_strings(data, service=None):
    """(text, service context) for every string in a narrative YAML file."""
    if isinstance(data, dict):
        service = data.get("service", service) if isinstance(data.get("service"), str) else service
        for key, value in data.items():
            if key not in ("service", "status", "theme", "regulator", "judgement", "date"):
                yield from _yaml_strings(value, service)
    elif isinstance(data, list):
        for item in data:
            yield from _yaml_strings(item, service)
    elif isinstance(data, str):
        yield data, service


def _line_of(raw: str, text: str) -> int:
    """The file line where a YAML string starts (found by its first words)."""
    head = " ".join(text.split()[:4])
    for number, line in enumerate(raw.splitlines(), start=1):
        if head and " ".join(line.split()).find(head) != -1:
            return number
    words = text.split()[:2]
    for number, line in enumerate(raw.splitlines(), start=1):
        if words and all(w in line for w in words):
            return number
    return 1


def check_file(path: Path, shown: str, snap: Snapshot) -> list[ClaimProblem]:
    raw = path.read_text(encoding="utf-8")
    problems = []
    if path.suffix == ".md":
        for offset, sentence in _sentences(raw):
            line = raw[:offset].count("\n") + 1
            problems += [ClaimProblem(shown, line, sentence, why)
                         for why in check_sentence(sentence, snap)]
    elif path.suffix in (".yml", ".yaml"):
        data = yaml.safe_load(raw) or {}
        for text, service in _yaml_strings(data):
            start = _line_of(raw, text)
            for offset, sentence in _sentences(text):
                # A folded YAML string keeps no line breaks: count lines by the sentence's
                # first words in the file instead.
                line = _line_of(raw, sentence) if offset else start
                problems += [ClaimProblem(shown, line, sentence, why)
                             for why in check_sentence(sentence, snap, service)]
    return problems


def check_narrative(folder: Path, snap: Snapshot) -> list[ClaimProblem]:
    """Every unsupported claim in one year's narrative folder, in file and line order."""
    folder = Path(folder)
    shown = f"narrative/{folder.name}"
    problems = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".md", ".yml", ".yaml"):
            problems += check_file(path, f"{shown}/{path.name}", snap)
    return problems


SERVICE_PHRASES = {"children": "children's services", "adults": "adults' services"}


def placeholder_words(snap: Snapshot, kind: str, measure: str, service: str) -> str:
    """What {{change m s}}, {{highest m}} and {{lowest m}} render as, from the data.

    change: the year-on-year clause by the change rule ('rose from 13.2% in 2024 to 11.4%',
    'was similar to 2024 (…)'), or 'was <figure>' when there is no earlier year.
    highest/lowest of a measure: the service ("adults' services"); of `health_check_favourable_*`:
    the health check theme in words, among the themes where agreeing is good.
    When the data cannot answer, the shorthand ([x], [c]) stands in, as for {{measure}}."""
    from assets.report.support.language import change_clause

    if kind == "change":  # no earlier year, or no figure: say what there is ('was [x]')
        clause = change_clause(snap, measure, service)
        return str(clause) if clause else f"was {snap.f(measure, service)}"
    high = kind == "highest"
    if measure == "health_check_favourable_*":
        scores = {t: snap.value(f"health_check_favourable_{t}", "all") for t in POSITIVE_THEMES}
        scores = {t: v for t, v in scores.items() if v is not None}
        if not scores:
            return str(snap.f("health_check_favourable_equality", "all"))  # the shorthand, '[x]'
        return (max if high else min)(scores, key=scores.get).replace("_", " ")
    values = {s: snap.value(measure, s) for s in ("children", "adults")}
    if any(v is None for v in values.values()):
        missing = next(s for s, v in values.items() if v is None)
        return str(snap.f(measure, missing))  # the shorthand ('[x]', '[c]') and its note
    if values["children"] == values["adults"]:
        return "both services equally"
    return SERVICE_PHRASES[(max if high else min)(values, key=values.get)]
