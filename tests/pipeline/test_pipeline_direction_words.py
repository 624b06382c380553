"""Every direction word in the rendered 2025 sample report (before the appendices) checked
against the rule for the measure it describes (docs/design.md §4 "Year-on-year", benchmarks;
docs/measures.md): 'rose'/'fell'/'was similar to' against the change rule as published in
`year_on_year` (direction from the change's interval), 'above'/'below'/'similar to' a national
figure against the benchmark rule on `headline_measures` (exact pairs only; 'similar' when the
national figure lies in our interval). A direction word that is neither is authored prose and
must be on the short list below, so a new generated one cannot slip through unchecked."""

from __future__ import annotations

import html
import re

import duckdb
import pytest

YEAR = 2025
# Direction words, and the phrases that say a change is within chance (assets/report/support/
# language.py SIMILAR_FRAMES): each is checked against the rule for the measure it describes.
WORDS = re.compile(r"\b(rose|fell|higher|lower|above|below|similar|no clear change|margin of "
                   r"error|could be down to chance|not a significant change)\b", re.I)
NUMBER = r"(-?[\d,]+(?:\.\d+)?)%?"
N = r"-?[\d,]+(?:\.\d+)?"
YEAR_ = r"(?P<year>\d{4})"
# Every wording of a change (language.py CHANGE_FRAMES, SIMILAR_FRAMES, NATIONAL_FRAMES), with
# named parts so the test reads the figures whatever the word order.
CHANGES = [re.compile(rf"\b(?P<word>rose|fell) from (?P<before>{N})%? in {YEAR_} to (?P<now>{N})"),
           re.compile(rf"\b(?P<word>rose|fell) to (?P<now>{N})%?, from (?P<before>{N})%? in "
                      rf"{YEAR_}")]
SIMILARS = [
    re.compile(rf"similar to {YEAR_} \((?P<before>{N})%? then, (?P<now>{N})%? now"),
    re.compile(rf"no clear change from {YEAR_}, going from (?P<before>{N})%? to (?P<now>{N})"),
    re.compile(rf"was (?P<now>{N})%?, within the margin of error of {YEAR_}[’']s "
               rf"(?P<before>{N})"),
    re.compile(rf"was (?P<now>{N})%? against (?P<before>{N})%? in {YEAR_}, a difference that "
               rf"could be down to chance"),
    re.compile(rf"was (?P<now>{N})%?, not a significant change from (?P<before>{N})%? in {YEAR_}"),
]
RELATION = r"(?P<relation>above|below|similar to|the same as)"
NATIONALS = [re.compile(rf"\((?P<local>{N})%?\) was {RELATION} the national figure for England of "
                        rf"(?P<national>{N})"),
             re.compile(rf"was (?P<local>{N})%?, {RELATION} England[’']s figure of (?P<national>{N})"),
             re.compile(rf", at (?P<local>{N})%?, was {RELATION} the England figure of "
                        rf"(?P<national>{N})")]
# Direction words that describe no measure: authored prose (report/narrative/2025, checked
# against the data by issue 15's claims check) and pointers to other parts of the report.
AUTHORED = ("Pressures remain, above all in", "is below where we want it",
            "in the equality and diversity section above", "in the “you said, we did” list above",
            "workload score improve, and hours over contract fall", "The tables below show",
            "not yet above it in every team",
            # the comparisons section's fixed wording, and a {{lowest}} placeholder (its words
            # come from the data and are checked by the claims check, tests/report)
            "For this measure lower is better", "For this measure higher is better",
            "Each chart below shows", "services had the lower rate", "services had the higher rate")
# The comparisons section: "<measure> was 11.6% in 2025: below England (11.8%), similar to the
# North West (12.2%) and …" — each clause against the benchmark rule on our own interval.
COMPARED = re.compile(rf"was {NUMBER} in (\d{{4}})(?: \(DfE's published figure\))?:")
CLAUSE = re.compile(rf"^(above|below|similar to|the same as) (?:England|the [A-Z][\w ]+?|the "
                    rf"average of our statistical neighbours) \({NUMBER}")


def _text(path) -> str:
    page = path.read_text(encoding="utf-8")
    first_appendix = re.search(r"<h[12][^>]*>[^<]*Appendix", page)
    body = page[:first_appendix.start()] if first_appendix else page
    body = re.sub(r"<(script|style|table|svg)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("−", "-"))


def _published(sample_build):
    out = sample_build / "build" / str(YEAR)
    text = _text(out / "psw-annual-report.html").replace("−", "-")
    with duckdb.connect(str(out / "published.duckdb"), read_only=True) as con:
        changes = con.execute("select * from main.year_on_year where reporting_year = ?",
                              [YEAR]).df()
        headline = con.execute("select * from main.headline_measures where reporting_year = ?",
                               [YEAR]).df()
    return text, changes, headline


@pytest.mark.slow
def test_every_direction_word_follows_its_rule(sample_build):
    checked, problems = direction_problems(*_published(sample_build))
    assert checked >= 10, "the report should compare figures"
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_a_planted_direction_word_is_caught(sample_build):
    text, changes, headline = _published(sample_build)
    similar = next((m for frame in SIMILARS if (m := frame.search(text))), None)
    assert similar, "the sample report should hold a change the interval does not support"
    year, before, now = similar.group("year", "before", "now")
    planted = text.replace(similar.group(0), f"fell from {before}% in {year} to {now}% (", 1)
    _checked, problems = direction_problems(planted, changes, headline)
    assert len(problems) == 1 and "'fell'" in problems[0], problems


@pytest.mark.slow
def test_no_generated_sentence_frame_repeats_more_than_three_times(sample_build):
    """Issue 15: the sample paper said "was similar to 2024 (X then, Y now)" ten times. Each
    generated frame (assets/report/support/language.py) appears at most 3 times before the
    appendices."""
    from assets.report.support.language import frame_patterns

    text, _changes, _headline = _published(sample_build)
    counts = {frame: len(p.findall(text)) for frame, p in frame_patterns().items()}
    assert sum(counts.values()) >= 10, counts
    assert max(counts.values()) <= 3, counts


def _covering(frames, sentence: str, offset: int):
    """The wording in `sentence` that holds the word at `offset`, or None."""
    for frame in frames:
        for found in frame.finditer(sentence):
            if found.start() <= offset < found.end():
                return found
    return None


def direction_problems(text, changes, headline) -> tuple[int, list[str]]:
    """(direction words checked, the ones that break their rule or describe no measure)."""
    checked, problems = 0, []
    for match in WORDS.finditer(text):
        start = text.rfind(". ", 0, match.start()) + 2
        end = text.find(". ", match.end())
        sentence = text[start:end if end > 0 else None]
        if any(phrase in sentence for phrase in AUTHORED):
            continue
        offset = match.start() - start
        word = match.group(1).lower()
        if word in ("rose", "fell") and (found := _covering(CHANGES, sentence, offset)):
            rows = changes[(changes["previous_value"].map(_safe) == _number(found["before"]))
                           & (changes["value"].map(_safe) == _number(found["now"]))]
            ok = found["word"] == word and (rows["direction"] == word).any()
        elif word in ("similar", "no clear change", "margin of error",
                      "could be down to chance", "not a significant change") and (
                found := _covering(SIMILARS, sentence, offset)):
            rows = changes[(changes["previous_value"].map(_safe) == _number(found["before"]))
                           & (changes["value"].map(_safe) == _number(found["now"]))]
            ok = (rows["direction"] == "was similar to").any()
        elif (clause := CLAUSE.match(text[match.start():match.end() + 80])) and (
                compared := COMPARED.search(sentence)):
            local, other = _number(compared.group(1)), _number(clause.group(2))
            rows = headline[(headline["service"] == "children")
                            & (headline["value"].map(_safe) == local)]
            expected = {_benchmark({**r, "national_value": other}) for r in rows.to_dict("records")}
            ok = clause.group(1) in expected
        elif found := _covering(NATIONALS, sentence, offset):
            rows = headline[(headline["value"].map(_safe) == _number(found["local"]))
                            & (headline["national_value"].map(_safe) == _number(found["national"]))
                            & (headline["national_match"] == "exact")]
            ok = any(_benchmark(r) == found["relation"] for r in rows.to_dict("records"))
        else:
            ok = False
        checked += 1
        if not ok:
            problems.append(f"'{match.group(0)}' in: {sentence.strip()}")
    return checked, problems


def _safe(cell) -> float | None:
    try:
        return float(str(cell))
    except ValueError:
        return None


def _benchmark(row: dict) -> str:
    """The benchmark rule (assets/report/support/language.py `national_clause`)."""
    local, national = _safe(row["value"]), _safe(row["national_value"])
    lower, upper = _safe(row.get("ci_lower")), _safe(row.get("ci_upper"))
    if lower is not None and upper is not None and lower <= national <= upper:
        return "similar to"
    if round(local, 1) == round(national, 1):
        return "the same as"
    return "below" if local < national else "above"
