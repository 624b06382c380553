"""The narrative slots real PSW reports have: the PSW role and its statutory basis, the PSWs'
reflections, the voice of people who use services, reviewed practitioner quotes (with
consent), the learning offer in numbers, optional agency spend; and the children's sickness
comparison with England. Checked in the schema and in the rendered Cabinet paper."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest

from assets.report.support.narrative import SCHEMAS, NarrativeError, load_yaml


def _text(markup: str) -> str:
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).replace("’", "'")


@pytest.fixture(scope="module")
def paper(rendered) -> str:
    return _text(rendered.outputs["html"].read_text(encoding="utf-8"))


def test_slots_appear_in_the_cabinet_paper(paper):
    for heading in ("The Principal Social Worker role", "Reflections from the Principal Social "
                    "Workers", "People who use our services", "Practitioners, in their own words",
                    "Our learning offer in numbers", "Spending on agency social workers"):
        assert paper.count(heading) >= 2, heading  # in the contents list and in the body
    assert "Care and Support Statutory Guidance issued under the Care Act 2014" in paper
    # 7 + 6 apprentices = 13 for both services, from learning_offer.yml.
    assert re.search(r"Social work degree apprentices 7 6 13", paper)
    assert "£3,450,000 in 2024-25, against £3,910,000 the year before" in paper


def test_childrens_sickness_is_compared_with_england(paper, snapshot_path):
    import duckdb

    con = duckdb.connect(str(snapshot_path), read_only=True)
    row = con.execute("select value, national_value from headline_measures where measure = "
                      "'absence_rate' and service = 'children'").fetchone()
    con.close()
    assert row is not None
    if row[1] in ("[x]", None):  # said plainly, not left out
        assert (f"In children's services, the sickness absence rate was {row[0]}%; no national "
                "figure on the same definition") in paper
    else:
        assert f"In children's services, the sickness absence rate ({row[0]}%)" in paper


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_practitioner_quote_needs_consent(tmp_path):
    path = _write(tmp_path, "practitioner_quotes.yml", """quotes:
  - text: I love this job.
    role: Social worker
    service: children
    consent: false
    reviewed_by: PSW
    reviewed_on: 2025-10-20
""")
    with pytest.raises(NarrativeError, match=r"field quotes\[0\]\.consent"):
        load_yaml(path, SCHEMAS["practitioner_quotes.yml"], "narrative/2025/practitioner_quotes.yml")


def test_learning_offer_counts_are_whole_numbers_by_service(tmp_path):
    path = _write(tmp_path, "learning_offer.yml", "as_at: 2025-09-30\n"
                  "students: {children: 3.5, adults: 2}\n")
    with pytest.raises(NarrativeError, match=r"learning_offer.yml, field students.children"):
        load_yaml(path, SCHEMAS["learning_offer.yml"], "narrative/2025/learning_offer.yml")
    path = _write(tmp_path, "learning_offer.yml", "as_at: 2025-09-30\n"
                  "agency_spend: {financial_year: 2024-25, pounds: 100}\n")
    assert load_yaml(path, SCHEMAS["learning_offer.yml"])["agency_spend"]["pounds"] == 100


@pytest.mark.parametrize(("children", "adults", "shown"), [
    (6, 9, ("6", "9", "15")),          # above the threshold: as typed
    (5, 9, ("[c]", "9", "[c]")),       # 5 is at the threshold: suppressed, and so is the total
    (0, 3, ("0", "[c]", "[c]")),       # zeros stay 0; the total would equal the small count
    (4, 4, ("[c]", "[c]", "[c]")),     # a shown 8 would pin each of two small counts to 3-5
    (0, 0, ("0", "0", "0")),
    (1200, 6, ("1,200", "6", "1,206")),
])
def test_learning_offer_counts_follow_the_small_count_rule(children, adults, shown):
    from assets.report.support.tables import protect_service_counts

    cells = protect_service_counts(children, adults, threshold=5)
    assert (cells["children"], cells["adults"], cells["all"]) == shown
