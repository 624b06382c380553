"""Formatting, direction words and narrative validation on hand-made cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from assets.report.support.formatting import fmt, fmt_change, hash_groups, markdown_table, notes_for
from assets.report.support.language import (
    change_clause,
    direction_word,
    national_clause,
    national_sentence,
)
from assets.report.support.narrative import NarrativeError, load_narrative, render_prose
from assets.report.support.snapshot import Snapshot

NARRATIVE = Path(__file__).resolve().parents[2] / "report" / "narrative"


@pytest.mark.parametrize(
    ("cell", "unit", "expected"),
    [
        ("12.345", "percent", "12.3%"),
        (12.35, "percent", "12.3%"),  # float rounding as Python does it; shown to 1 d.p.
        ("1234", "count", "1,234"),
        ("1234567", "headcount", "1,234,567"),
        ("164.5", "fte", "164.5"),
        ("67", "score 0-100", "67.0"),
        ("0", "count", "0"),
        ("[z]", "percent", "[z]"),  # plain text for a table cell
    ],
)
def test_report_fmt_numbers_gss(cell, unit, expected):
    assert fmt(cell, unit, note=False) == expected


def test_report_fmt_shorthand_carries_a_footnote():
    text = fmt("[c]", "count")
    assert text.startswith(r"\[c\]^[")
    assert "confidentiality" in text
    assert fmt("[x]", "percent").startswith(r"\[x\]^[")
    assert fmt(None, "percent", note=False) == "[x]"


def test_report_fmt_change_in_points():
    assert fmt_change("-3.14", "percent") == "3.1 percentage points"
    assert fmt_change("1.0", "percent") == "1.0 percentage point"


def test_report_table_keeps_shorthand_literal_and_notes_it():
    frame = pd.DataFrame({"Reason": ["Resignation", "Dismissed"], "Children's": ["14", "[c]"]})
    table = markdown_table(frame)
    assert r"\[c\]" in table and "14" in table
    assert "[c]" in notes_for(frame).replace("\\", "")
    assert notes_for(frame.iloc[:1]) == ""


def test_report_hash_groups_never_look_like_a_pseudonym():
    digest = "ab" * 32
    grouped = hash_groups(digest)
    assert grouped.replace(" ", "") == digest and len(grouped.split()) == 4


@pytest.mark.parametrize(
    ("row", "word"),
    [
        ({"previous_value": "16.1", "value": "13.0", "change": "-3.1", "ci_lower": "-6.0",
          "ci_upper": "-0.2", "direction": "fell"}, "fell"),
        ({"previous_value": "10", "value": "14", "change": "4", "ci_lower": "0.5",
          "ci_upper": "7", "direction": "rose"}, "rose"),
        # The interval includes 0: 'was similar to', even if the stated direction disagrees.
        ({"previous_value": "41.4", "value": "36.4", "change": "-5.0", "ci_lower": "-12.0",
          "ci_upper": "2.0", "direction": "fell"}, "was similar to"),
        # No interval (an FTE ratio of posts): no direction word, whatever the sign or the
        # stated word.
        ({"previous_value": "13.4", "value": "11.6", "change": "-1.8", "ci_lower": "[x]",
          "ci_upper": "[x]", "direction": "fell"}, "not tested"),
        ({"previous_value": "9.7", "value": "9.7", "change": "0.0", "ci_lower": "[x]",
          "ci_upper": "[x]"}, "not tested"),
        # Boundary: an interval ending exactly at 0 does not exclude no change.
        ({"previous_value": "10", "value": "12", "change": "2", "ci_lower": "0.0",
          "ci_upper": "4"}, "was similar to"),
        ({"previous_value": "[c]", "value": "[c]", "change": "[c]", "direction": "[c]"}, None),
        (None, None),
    ],
)  # fmt: skip
def test_report_direction_words_follow_the_interval(row, word):
    assert direction_word(row) == word


def _snap(national_value, value="11.6", match="exact", basis="", ci=("[z]", "[z]")):
    frame = pd.DataFrame([{
        "reporting_year": 2025, "service": "children", "measure": "turnover_rate_fte",
        "value": value, "unit": "percent", "ci_lower": ci[0], "ci_upper": ci[1],
        "national_value": national_value, "national_release": "DfE CSWW 2025 release",
        "national_match": match, "national_basis": basis,
    }])  # fmt: skip
    return Snapshot(Path("x"), 2025, {"headline_measures": frame})


def test_report_national_sentence_names_the_release():
    clause = national_clause(_snap("13.8"), "turnover_rate_fte", "children")
    assert clause == "below the national figure for England of 13.8% (DfE CSWW 2025 release)"
    assert national_clause(_snap("10.0"), "turnover_rate_fte", "children").startswith("above")
    assert national_clause(_snap("[x]"), "turnover_rate_fte", "children") == ""


def test_report_national_inside_our_interval_is_similar():
    snap = _snap("13.8", ci=("9.0", "14.0"))
    assert national_clause(snap, "turnover_rate_fte", "children").startswith("similar to")
    # boundary: the national figure on the interval's edge is inside it
    snap = _snap("14.0", ci=("9.0", "14.0"))
    assert national_clause(snap, "turnover_rate_fte", "children").startswith("similar to")


def test_report_a_pair_on_another_basis_is_context_not_compared():
    snap = _snap("14.5", match="differs", basis="Skills for Care turnover is on headcount, "
                 "not FTE.")
    assert national_clause(snap, "turnover_rate_fte", "children") == ""
    sentence = str(national_sentence(snap, "Adults' FTE turnover", "turnover_rate_fte",
                                     "children"))
    assert "above" not in sentence and "below" not in sentence
    assert "For context, the national figure is 14.5%" in sentence
    assert "(Skills for Care turnover is on headcount, not FTE)" in sentence


def test_report_similar_change_shows_the_change_in_points():
    frame = pd.DataFrame([{
        "reporting_year": 2025, "service": "all", "measure": "stability_rate",
        "previous_year": 2024, "previous_value": "50.0", "value": "60.0", "change": "10.0",
        "ci_lower": "-30.0", "ci_upper": "45.0", "unit": "percent",
    }])  # fmt: skip
    snap = Snapshot(Path("x"), 2025, {"year_on_year": frame})
    assert str(change_clause(snap, "stability_rate")) == (
        "was similar to 2024 (50.0% then, 60.0% now, a change of +10.0 percentage points)")
    frame.loc[0, ["ci_lower", "ci_upper"]] = "[z]"
    snap = Snapshot(Path("x"), 2025, {"year_on_year": frame})
    assert str(change_clause(snap, "stability_rate")) == "went from 50.0% in 2024 to 60.0%"


def test_report_successive_statements_take_their_wordings_in_turn():
    """Hand-checked: five 'similar' changes and two rises in one document take five different
    wordings and two different ones, in the order of SIMILAR_FRAMES/CHANGE_FRAMES; each keeps
    its figures and the change rule (no rise or fall word for a similar change); the same
    inputs give the same words, and a new document starts again at the first wording."""
    from assets.report.support.language import CHANGE_FRAMES, SIMILAR_FRAMES, frame_patterns

    rows = [{"reporting_year": 2025, "service": "all", "measure": f"m{i}", "previous_year": 2024,
             "previous_value": "50.0", "value": "60.0", "change": "10.0", "unit": "percent",
             "ci_lower": "-30.0" if i < 5 else "1.0", "ci_upper": "45.0"} for i in range(7)]

    def clauses():
        snap = Snapshot(Path("x"), 2025, {"year_on_year": pd.DataFrame(rows)})
        return [str(change_clause(snap, f"m{i}")) for i in range(7)]

    said = clauses()
    assert said == clauses()
    assert said[:5] == [
        "was similar to 2024 (50.0% then, 60.0% now, a change of +10.0 percentage points)",
        "showed no clear change from 2024, going from 50.0% to 60.0% (a change of +10.0 "
        "percentage points)",
        "was 60.0%, within the margin of error of 2024's 50.0% (a change of +10.0 percentage "
        "points)",
        "was 60.0% against 50.0% in 2024, a difference that could be down to chance (a change of "
        "+10.0 percentage points)",
        "was 60.0%, not a significant change from 50.0% in 2024 (a change of +10.0 percentage "
        "points)"]
    assert said[5:] == ["rose from 50.0% in 2024 to 60.0%", "rose to 60.0%, from 50.0% in 2024"]
    assert not any(word in s for s in said[:5] for word in ("rose", "fell", "higher", "lower"))
    patterns = frame_patterns()
    for frame, text in zip((*SIMILAR_FRAMES, *CHANGE_FRAMES), said, strict=True):
        assert patterns[frame].fullmatch(text), (frame, text)


def test_report_national_sentences_vary_but_keep_the_benchmark_rule():
    """Three exact pairs in one document: three wordings, each with 'below' and England's 13.8%;
    then a measure with no national figure in its own wording."""
    frame = pd.DataFrame([{
        "reporting_year": 2025, "measure": "turnover_rate_fte", "service": service,
        "value": "11.6", "unit": "percent", "ci_lower": "10.0", "ci_upper": "13.0",
        "national_value": "13.8", "national_match": "exact",
        "national_release": "DfE CSWW 2025 release"} for service in ("children", "adults", "all")])
    snap = Snapshot(Path("x"), 2025, {"headline_measures": frame})
    said = [str(national_sentence(snap, "Turnover", "turnover_rate_fte", s))
            for s in ("children", "adults", "all")]
    assert said == [
        "Turnover (11.6%) was below the national figure for England of 13.8% (DfE CSWW 2025 "
        "release).",
        "Turnover was 11.6%, below England's figure of 13.8% (DfE CSWW 2025 release).",
        "Turnover, at 11.6%, was below the England figure of 13.8% (DfE CSWW 2025 release)."]


@pytest.mark.parametrize("year", ["2023", "2024", "2025"])
def test_report_every_years_narrative_is_valid(year):
    story = load_narrative(NARRATIVE / year)
    assert story.priorities["next_year"] and story.inspection
    required = {"foreword.md", "practice_model.md", "practitioner_voice.md", "recognition.md"}
    optional = {"psw_role.md", "reflections.md", "voice_of_people.md"}
    assert required <= set(story.prose) <= required | optional


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "narrative" / "2025"
    shutil.copytree(NARRATIVE / "2025", folder)
    return folder


def test_report_bad_status_names_file_and_field(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "priorities.yml"
    path.write_text(path.read_text().replace("status: partly achieved", "status: nearly there"))
    with pytest.raises(NarrativeError) as error:
        load_narrative(folder)
    message = str(error.value)
    assert "priorities.yml" in message and "last_year[2].status" in message
    assert "'nearly there'" in message


def test_report_misspelt_field_and_missing_file_are_named(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "actions.yml"
    path.write_text(path.read_text().replace("we_did:", "we_done:", 1))
    with pytest.raises(NarrativeError, match=r"actions\.yml, field actions\[0\]"):
        load_narrative(folder)
    folder = _copy(tmp_path / "again")
    (folder / "inspection.yml").unlink()
    with pytest.raises(NarrativeError, match=r"inspection\.yml: the file is missing"):
        load_narrative(folder)


def test_report_bad_yaml_and_bad_date_are_named(tmp_path):
    folder = _copy(tmp_path)
    (folder / "inspection.yml").write_text("judgements:\n  - regulator: Ofsted\n   bad: [\n")
    with pytest.raises(NarrativeError, match=r"inspection\.yml: this is not valid YAML \(line"):
        load_narrative(folder)
    (folder / "inspection.yml").write_text(
        "judgements:\n  - {regulator: Ofsted, service: children, inspection: ILACS,"
        " judgement: Good, date: 16/02/2024}\n"
    )
    with pytest.raises(NarrativeError, match=r"field judgements\[0\]\.date"):
        load_narrative(folder)


def test_report_prose_placeholders():
    figures = {("turnover_rate_fte", "children"): "11.6%"}

    def figure(measure, service):
        return figures[(measure, service)]

    text = render_prose("Turnover was {{turnover_rate_fte children}}.", "f.md", figure)
    assert text == "Turnover was 11.6%."
    with pytest.raises(NarrativeError, match=r"f\.md: \{\{nonsense all\}\}"):
        render_prose("{{nonsense}}", "f.md", figure)


def _ed(rows):
    return pd.DataFrame(
        [{"reporting_year": 2025, "service": s, "characteristic": c, "group": g, "count": n,
          "percent": p} for s, c, g, n, p in rows])  # fmt: skip


def test_report_equality_tables_keep_populations_apart_with_human_labels():
    from assets.report.support.tables import equality_tables, largest_group

    frame = _ed([
        ("all", "in_post_ethnicity", "WBRI", "156", "58.2"),
        ("all", "in_post_ethnicity", "ZZZZ", "[c]", "[c]"),  # unknown code: kept as given
        ("all", "in_post_ethnicity", "Total", "268", "100.0"),
        ("all", "starters_ethnicity", "WBRI", "[c]", "[c]"),
        ("all", "starters_ethnicity", "Total", "32", "100.0"),
        ("all", "in_post_gender", "2", "213", "79.5"),
        ("all", "in_post_gender", "Total", "268", "100.0"),
        ("all", "leavers_gender", "1", "9", "29.0"),
        ("all", "leavers_gender", "Total", "31", "100.0"),
    ])  # fmt: skip
    tables = equality_tables(frame)
    ethnicity, gender = tables["ethnicity"], tables["gender"]
    shown = ethnicity.set_index("Group")
    assert list(shown.index) == ["White British", "ZZZZ", "Total"]
    assert shown.loc["White British", "Staff in post"] == "156 (58.2%)"
    assert shown.loc["White British", "Starters"] == "[c]"
    # no row in a population with a Total: every group of its categories has a row, so this
    # group is combined into another for that population: not applicable
    assert shown.loc["ZZZZ", "Starters"] == "[z]"
    assert "Leavers" not in ethnicity  # no leavers rows for ethnicity at all
    by_group = gender.set_index("Group")
    assert list(by_group.index) == ["Male", "Female", "Total"]
    assert by_group.loc["Female", "Staff in post"] == "213 (79.5%)"
    assert by_group.loc["Female", "Leavers"] == "[z]"
    assert by_group.loc["Male", "Leavers"] == "9 (29.0%)"
    assert by_group.loc["Total", "Staff in post"] == "268"
    assert largest_group(gender)[:2] == ("Female", "213")


def test_report_equality_tables_by_service_show_counts_per_population():
    from assets.report.support.tables import equality_tables

    frame = _ed([(s, f"{p}_age_band", g, n, "[c]") for s in ("children", "adults")
                 for p in ("in_post", "leavers") for g, n in (("<30", "[c]"), ("Total", "20"))])
    table = equality_tables(frame, services=("children", "adults"))["age_band"]
    assert [c for c in table.columns if not c.startswith("_")] == [
        "Group", "Staff in post, children's", "Staff in post, adults'", "Leavers, children's",
        "Leavers, adults'"]  # fmt: skip
    assert table["Group"].tolist() == ["Under 30", "Total"]


def test_report_no_chart_when_every_charted_value_is_suppressed_or_zero():
    from assets.report.support.tables import chartable

    frame = pd.DataFrame({"Reason": ["Resignation", "Other", "Total"],
                          "_children": ["[c]", "0", "20"], "_adults": ["[c]", "[x]", "11"],
                          "_all": ["16", "[c]", "31"]})  # fmt: skip
    assert not chartable(frame)  # the Total row and the `all` column are not charted
    assert chartable(frame.assign(_adults=["[c]", "7", "11"]))


def test_report_wide_table_columns_are_never_narrower_than_their_longest_word():
    frame = pd.DataFrame({
        "File": ["health_check_responses.csv"], "Rule": ["LRN-006"],
        "Why it matters": ["This activity was completed outside the reporting year, so the "
                           "measures ignore it."], "Records affected": ["16"],
    })  # fmt: skip
    lines = markdown_table(frame).splitlines()
    dashes = [len(part) for part in lines[1].strip("|").split("|")]
    assert len(lines[1]) > 72  # pandoc then takes relative widths from these dashes
    assert dashes[0] >= len("health_check_responses.csv")
    assert dashes[2] < 2 * dashes[0]  # long prose wraps rather than taking the page


def test_report_measures_doc_nests_under_the_appendix_heading():
    from assets.metrics.definitions import MEASURES, render_markdown

    text = render_markdown()
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "## Measure definitions"
    assert all(line.startswith(("## ", "### ")) for line in headings)
    assert "|---" not in text  # definition-list entries, not a wide table
    for measure in MEASURES.values():
        assert f"(`{measure.name}`)" in text and measure.formula in text
    assert "### Choices we made" in text


def test_table_notes_explain_service_totals_and_combined_rows():
    from assets.report.support.formatting import COMBINED_NOTE, SERVICE_TOTALS_NOTE, notes_for

    by_service = pd.DataFrame({"Reason": ["Resignation", "Other reasons (combined)", "Total"],
                               "Children's": ["10", "10", "20"], "Adults'": ["6", "7", "13"],
                               "Both services": ["16", "15", "31"]})
    note = str(notes_for(by_service))
    assert SERVICE_TOTALS_NOTE in note and COMBINED_NOTE.split(";")[0] in note
    assert "[c]" not in note  # no shorthand in the table, none explained
    one_service = pd.DataFrame({"Group": ["White", "Total"], "Staff in post": ["178", "268"]})
    assert str(notes_for(one_service)) == ""
