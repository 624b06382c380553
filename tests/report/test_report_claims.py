"""Authored claims against the data: `check_narrative` flags each of the four contradictions
found in the 2025 sample narrative, naming file and line, and passes the corrected sample.

The snapshot is a real DuckDB file holding the published rows the sample showed:
- health check 'intend to stay' (both services) 44.6% in 2024, 42.9% in 2025, change interval
  -10.8 to 7.4 (includes 0: "was similar to");
- equality 46.4% and intention to stay 42.9% among the themes (equality is not the lowest);
- hours over contract: adults 4.4, children 4.7 (adults' is not the highest);
- starters by international recruitment: children 0, adults [c], both [c].
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.report.support.claims import check_narrative, placeholder_words
from assets.report.support.narrative import NarrativeError, render_prose
from assets.report.support.snapshot import open_snapshot

SAMPLE = Path(__file__).resolve().parents[2] / "report" / "narrative" / "2025"
HEADLINE = [
    ("health_check_favourable_intention_to_stay", "all", "42.9", "percent"),
    ("health_check_favourable_equality", "all", "46.4", "percent"),
    ("health_check_favourable_workload", "all", "46.7", "percent"),
    ("health_check_favourable_culture", "all", "58.1", "percent"),
    ("health_check_favourable_stress", "all", "36.4", "percent"),  # agreeing is bad: not compared
    ("hours_over_contract_mean", "adults", "4.4", "hours per week"),
    ("hours_over_contract_mean", "children", "4.7", "hours per week"),
    ("turnover_rate_fte", "children", "11.6", "percent"),
    ("turnover_rate_fte", "adults", "14.3", "percent"),
]


@pytest.fixture(scope="module")
def snap(tmp_path_factory):
    path = tmp_path_factory.mktemp("claims") / "published.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table headline_measures (measure varchar, service varchar, "
                "value varchar, unit varchar)")
    con.executemany("insert into headline_measures values (?, ?, ?, ?)", HEADLINE)
    con.execute("""create table year_on_year as select 2025 as reporting_year, 'all' as service,
        'health_check_favourable_intention_to_stay' as measure, 'percent' as unit,
        2024 as previous_year, '44.6' as previous_value, '42.9' as value, -1.7 as change,
        -10.8 as ci_lower, 7.4 as ci_upper, 'was similar to' as direction""")
    con.execute("create table starters_by_route (reporting_year int, service varchar, "
                "route varchar, count varchar)")
    con.executemany("insert into starters_by_route values (2025, ?, 'international_recruit', ?)",
                    [("children", "0"), ("adults", "[c]"), ("all", "[c]")])
    con.close()
    return open_snapshot(path, 2025)


PLANTED_FOREWORD = """This is our third annual report.

The year brought real progress. Children's FTE turnover was {{turnover_rate_fte children}},
and more of our social workers told us they feel able to stay and build a career here. We
have kept growing our own: apprentices, newly qualified social workers in their ASYE and
international colleagues have joined teams across the city.
"""
PLANTED_PRIORITIES = """next_year:
  - priority: Safe, manageable workloads in adults' assessment and hospital teams
    service: adults
    why: >-
      Staff in these teams report the highest hours over contract, and assessment
      timeliness is below where we want it.
    success_measure: hours over contract fall.
  - priority: Fair progression for global majority social workers
    service: both
    why: >-
      Global majority colleagues are less so in senior roles, and equality scores in the
      health check are the lowest of any theme.
    success_measure: the equality score rises.
"""


@pytest.fixture()
def planted(tmp_path):
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "foreword.md").write_text(PLANTED_FOREWORD, encoding="utf-8")
    (folder / "priorities.yml").write_text(PLANTED_PRIORITIES, encoding="utf-8")
    return folder


def _found(problems, file, line, words):
    return [p for p in problems if p.file == f"narrative/2025/{file}" and p.line == line
            and words in p.why]


def test_claims_flags_more_stay_when_the_measure_was_similar(snap, planted):
    problems = check_narrative(planted, snap)
    assert _found(problems, "foreword.md", 3, "'more' next to 'able to stay'")
    assert "was similar to" in _found(problems, "foreword.md", 3, "'more'")[0].why


def test_claims_flags_international_joiners_shown_as_0_and_c(snap, planted):
    hits = _found(check_narrative(planted, snap), "foreword.md", 4, "international colleagues")
    assert hits and "[c]" in hits[0].why


def test_claims_flags_adults_highest_hours_when_childrens_are_higher(snap, planted):
    hits = _found(check_narrative(planted, snap), "priorities.yml", 5, "'highest' next to")
    assert hits and "(4.4)" in hits[0].why and "(4.7)" in hits[0].why


def test_claims_flags_equality_lowest_theme_when_it_is_not(snap, planted):
    hits = _found(check_narrative(planted, snap), "priorities.yml", 11, "'lowest' next to")
    assert hits and "intention to stay is (42.9)" in hits[0].why


def test_claims_planted_narrative_has_exactly_the_four(snap, planted):
    assert len(check_narrative(planted, snap)) == 4  # "less so" is not a direction


def test_claims_sample_narrative_passes(snap):
    assert check_narrative(SAMPLE, snap) == []


def test_placeholder_words_from_the_data(snap):
    assert placeholder_words(snap, "change", "health_check_favourable_intention_to_stay",
                             "all") == ("was similar to 2024 (44.6% then, 42.9% now, a change of "
                                       "−1.7 percentage points)")
    assert placeholder_words(snap, "highest", "hours_over_contract_mean", "all") == (
        "children's services")
    assert placeholder_words(snap, "lowest", "turnover_rate_fte", "all") == "children's services"
    # 42.9 < 46.4 < 46.7 < 58.1; stress (36.4) is not a theme where agreeing is good.
    assert placeholder_words(snap, "lowest", "health_check_favourable_*", "all") == "intention to stay"


def test_placeholder_errors_name_the_file_line(snap):
    def figure(measure, service):
        if measure not in {m for m, *_ in HEADLINE}:
            raise KeyError(measure)
        return snap.f(measure, service)

    source = "First line.\n\nSecond {{turnovr_rate_fte children}} here.\n"
    with pytest.raises(NarrativeError, match=r"narrative/2025/x.md, line 3: .*turnovr_rate_fte"):
        render_prose(source.strip(), "narrative/2025/x.md", figure, source=source)
    with pytest.raises(NarrativeError, match=r"f.md, line 2: \{\{chnage turnover_rate_fte all\}\} is not"):
        render_prose("{{chnage turnover_rate_fte all}}", "f.md", lambda m, s: "",
                     source="Title\n{{chnage turnover_rate_fte all}}")


def test_psw_report_check_names_file_and_line_and_exits_1(snapshot_path, tmp_path, monkeypatch):
    import shutil

    from typer.testing import CliRunner

    from pipelines.cli import app

    root = Path(__file__).resolve().parents[2]
    report = tmp_path / "report"
    shutil.copytree(root / "report", report)
    out = tmp_path / "build"
    (out / "2025").mkdir(parents=True)
    shutil.copyfile(snapshot_path, out / "2025" / "published.duckdb")
    monkeypatch.setenv("PSW_REPORT_DIR", str(report))
    runner = CliRunner()
    args = ["report", "--check", "--year", "2025", "--out", str(out),
            "--config", str(root / "data" / "authority.yml")]
    clean = runner.invoke(app, args)
    assert clean.exit_code == 0, clean.output
    foreword = report / "narrative" / "2025" / "foreword.md"
    foreword.write_text(foreword.read_text(encoding="utf-8")
                        + "\nChildren's turnover rose again this year.\n",
                        encoding="utf-8")
    lines = foreword.read_text(encoding="utf-8").count("\n")
    planted = runner.invoke(app, args)
    assert planted.exit_code == 1
    # The snapshot's children's FTE turnover fell (its change interval excludes 0).
    assert f"narrative/2025/foreword.md, line {lines}: 'rose' next to 'turnover'" in (
        planted.output), planted.output
