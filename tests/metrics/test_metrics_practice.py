"""Caseload, supervision, ASYE, timeliness, audits, learning and health check measures on the
hand-made authority (rows and derivations in metrics_scenario.py)."""

import datetime as dt

import pytest
from metrics_scenario import build, value

from assets.metrics.intervals import wilson


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    con, frame = build(tmp_path_factory.mktemp("pr") / "w.duckdb")
    yield con, frame
    con.close()


@pytest.fixture(scope="module")
def measures(built):
    return built[1]


@pytest.mark.parametrize(
    "measure, service, expected",
    [
        # Open at R and held by in-post workers (agency included): children w1 {c1, c2},
        # w4 {c1} (c1 counts for each holder; c3 closed on R) -> 3 / (1.0 + 1.0);
        # adults w6 {c4}, w5 {c6, c7} (c5's holder w3 is not in post) -> 3 / (0.6 + 1.0);
        # all 6 / 3.6
        ("caseload_fte", "children", 1.5),
        ("caseload_fte", "adults", 1.875),
        ("caseload_fte", "all", 6 / 3.6),
        # distinct cla cases open at R: c2 (c3 closed on R)
        ("children_looked_after", "children", 1),
        ("children_looked_after", "all", 1),
        # ASYE in post at R, cap 1: w2 holds 0 (within); w5 holds 2 (over) -> 1/1, 0/1, 1/2
        ("asye_caseload_within_cap", "children", 100.0),
        ("asye_caseload_within_cap", "adults", 0.0),
        ("asye_caseload_within_cap", "all", 50.0),
        # Eligible worker-months: children w1 12, w2 12 (starts 1 Oct), w3 11 (not in post on
        # 30 Sep), w4 12 (agency), w5 5 (Oct-Feb) = 52; adults w5 6 (Apr-Sep), w6 12 = 18.
        # Compliant: w1 12 + w4 1 (Oct) = 13. Adults: w5's ASYE spell starts Mon 18 Mar
        # 2024: weekly intervals to 29 Apr, fortnightly from 29 Apr, each needing a session;
        # sessions on the 12th of each month and 26 Jun leave a gap in every month (Apr: week
        # 1-8 Apr; May: 13-27 May; Jun: 27 May-10 Jun; Jul: 22 Jul-5 Aug; Aug: the same;
        # Sep: 19 Aug-2 Sep) -> 0 of 6. All: 13 / 70.
        ("supervision_compliance", "children", 25.0),
        ("supervision_compliance", "adults", 0.0),
        ("supervision_compliance", "all", 100 * 13 / 70),
        # a1, a3 in time, a2 late; a4 in time, a5 late; a6 (other), a7, a8 left out
        ("assessment_timeliness", "children", 200 / 3),
        ("assessment_timeliness", "adults", 50.0),
        ("assessment_timeliness", "all", 60.0),
        # audits in P: good, outstanding, inadequate; requires_improvement (u4 before P)
        ("audits_good_or_better", "children", 200 / 3),
        ("audits_good_or_better", "adults", 0.0),
        ("audits_good_or_better", "all", 50.0),
        # hours in P by employed workers in post at R: children w1 10 + 5 = 15 / 1.5;
        # adults w6 6 + w5 4 (service at R) = 10 / 1.6; all 25 / 3.1
        ("learning_hours_per_fte", "children", 10.0),
        ("learning_hours_per_fte", "adults", 6.25),
        ("learning_hours_per_fte", "all", 25 / 3.1),
    ],
)
def test_practice_measure(measures, measure, service, expected):
    assert value(measures, measure, service) == pytest.approx(expected, rel=1e-12)


def test_no_children_looked_after_for_adults(measures):
    rows = measures[(measures["measure"] == "children_looked_after")
                    & (measures["service"] == "adults")]
    assert rows.empty


def test_due_dates_around_bank_holidays(built):
    con, _ = built
    due = dict(con.execute(  # ids are BLOBs (pseudonyms); these hand-made ones are text bytes
        "select decode(assessment_id), due_date from staging.assessments order by 1").fetchall())
    # derivations in metrics_scenario.ASSESSMENTS
    assert due["a1"] == dt.date(2024, 6, 4)  # 45 working days after 27 Mar 2024 (Easter)
    assert due["a3"] == dt.date(2024, 2, 26)  # 45 working days after 20 Dec 2023 (Christmas)
    assert due["a4"] == dt.date(2024, 5, 29)  # 28 calendar days
    assert "a6" not in due  # `other` has no timescale


def test_learning_by_category(measures):
    # children: cpd 10 / 1.5, mandatory 5 / 1.5
    assert value(measures, "learning_hours_per_fte", "children", "category", "cpd") == (
        pytest.approx(10 / 1.5))
    assert value(measures, "learning_hours_per_fte", "children", "category", "mandatory") == (
        pytest.approx(5 / 1.5))


def test_audit_grade_counts(measures):
    assert value(measures, "audits_count", "all", "grade", "good") == 1
    assert value(measures, "audits_count", "all", "grade", "good", column="denominator") == 4
    assert value(measures, "audits_share", "children", "grade", "inadequate") == (
        pytest.approx(100 / 3))


@pytest.mark.parametrize(
    "measure, service, expected",
    [
        # responses / invited: 2/10, 1/4, 3/14
        ("health_check_response_rate", "children", 20.0),
        ("health_check_response_rate", "adults", 25.0),
        ("health_check_response_rate", "all", 300 / 14),
        # standard 1 scores: r1 i1 5 -> 100, r1 i2 4 reversed -> 2 -> 25, r2 i1 2 -> 25
        # (children mean 50); r3 i1 4 -> 75, i2 2 reversed -> 4 -> 75 (adults 75); all 300/5
        ("health_check_score_standard_1", "children", 50.0),
        ("health_check_score_standard_1", "adults", 75.0),
        ("health_check_score_standard_1", "all", 60.0),
        # wellbeing (standard 0, i3): 3 -> 50, 4 -> 75 (children 62.5); 1 -> 0; all 125/3
        ("health_check_score_wellbeing", "children", 62.5),
        ("health_check_score_wellbeing", "adults", 0.0),
        ("health_check_score_wellbeing", "all", 125 / 3),
        # favourable shares, polarity aligned: workload i1 {5, 2} {4}; stress i2 is
        # unfavourable when agreed: children {4} is not favourable, adults {2} is
        ("health_check_favourable_workload", "children", 50.0),
        ("health_check_favourable_workload", "all", 200 / 3),
        ("health_check_favourable_stress", "children", 0.0),
        ("health_check_favourable_stress", "adults", 100.0),
        ("health_check_favourable_wellbeing", "all", 100 / 3),
        # hours over contract among those who answered: children 2 (r2 blank); adults 4
        ("hours_over_contract_mean", "children", 2.0),
        ("hours_over_contract_mean", "all", 3.0),
    ],
)
def test_health_check_measure(measures, measure, service, expected):
    assert value(measures, measure, service) == pytest.approx(expected, rel=1e-12)


def test_health_check_scores_by_role_group(measures):
    # children social_worker r1: (100 + 25) / 2; manager r2: 25; 1 respondent each
    assert value(measures, "health_check_score_standard_1", "children", "role_group",
                 "social_worker") == 62.5
    assert value(measures, "health_check_score_standard_1", "children", "role_group",
                 "manager", column="denominator") == 1


def test_standard_without_items_is_left_out(measures):
    assert not (measures["measure"] == "health_check_score_standard_2").any()


def test_learners_per_category_count_people_for_disclosure(measures):
    # Directly employed, in post at R, completed in P: children w1 (cpd 10 h, mandatory 5 h on R);
    # w3 left, w4 is agency, w1's 7 h are before P. Adults (service at R): w6 and w5 (cpd).
    assert value(measures, "learners_headcount", "children", "category", "cpd") == 1
    assert value(measures, "learners_headcount", "children", "category", "mandatory") == 1
    assert value(measures, "learners_headcount", "adults", "category", "cpd") == 2
    assert value(measures, "learners_headcount", "all", "category", "cpd") == 3  # w1, w5, w6


def test_audit_grade_seen_elsewhere_is_a_zero_not_a_missing_row(measures):
    # Grades in P: children good, outstanding, inadequate; adults requires_improvement (u5).
    # u4 (requires_improvement, children) is before P, so children's count for it is 0.
    assert value(measures, "audits_count", "children", "grade", "requires_improvement") == 0
    assert value(measures, "audits_count", "adults", "grade", "good") == 0
    assert value(measures, "audits_count", "adults", "grade", "requires_improvement") == 1
    assert value(measures, "audits_share", "adults", "grade", "inadequate") == 0


# A theme with one item of each polarity: "manageable" (agree is favourable) and "too high"
# (agree is unfavourable). Four respondents, two answers each.
POLARITY_ITEMS = [
    dict(item_id="a", standard=3, theme="workload", text="My workload is manageable",
         reverse_scored=0),
    dict(item_id="b", standard=3, theme="workload", text="My caseload is too high",
         reverse_scored=1),
]
POLARITY_RESPONSES = [
    dict(response_id="r1", service="children", role_group="social_worker"),
    dict(response_id="r2", service="children", role_group="social_worker"),
    dict(response_id="r3", service="adults", role_group="social_worker"),
    dict(response_id="r4", service="adults", role_group="social_worker"),
]
POLARITY_ANSWERS = [
    dict(response_id=r, item_id=i, answer=v)
    for r, a, b in (("r1", 5, 1), ("r2", 4, 2), ("r3", 2, 5), ("r4", 4, 1))
    for i, v in (("a", a), ("b", b))
]


@pytest.fixture(scope="module")
def polarity(tmp_path_factory):
    from metrics_scenario import TABLES, build

    tables = dict(TABLES, health_check_items=POLARITY_ITEMS,
                  health_check_responses=POLARITY_RESPONSES,
                  health_check_answers=POLARITY_ANSWERS)
    con, frame = build(tmp_path_factory.mktemp("pol") / "p.duckdb", tables=tables)
    yield frame
    con.close()


def test_theme_with_one_item_of_each_polarity(polarity):
    # Favourable: a 4-5 (r1, r2, r4) and b 1-2 (r1, r2, r4): 6 of 8. Pooled as given, the
    # agree share would be (3 + 1) / 8 = 50%: not what anyone said.
    assert value(polarity, "health_check_favourable_workload", "all") == 75.0
    assert value(polarity, "health_check_favourable_workload", "all", column="numerator") == 6
    assert value(polarity, "health_check_favourable_workload", "all",
                 column="denominator") == 8
    # children r1, r2: 4 of 4; adults r3 0 of 2, r4 2 of 2
    assert value(polarity, "health_check_favourable_workload", "children") == 100.0
    assert value(polarity, "health_check_favourable_workload", "adults") == 50.0


def test_agree_share_per_item_names_statement_and_polarity(polarity):
    a = value(polarity, "health_check_agree_item", "all", "item:workload:agree",
              "My workload is manageable")
    b = value(polarity, "health_check_agree_item", "all", "item:workload:disagree",
              "My caseload is too high")
    assert (a, b) == (75.0, 25.0)  # 3 of 4 agree it is manageable; 1 of 4 that it is too high
    # one answer per respondent: a plain Wilson interval on 1 of 4
    lower, upper = wilson(1, 4)
    assert value(polarity, "health_check_agree_item", "all", "item:workload:disagree",
                 "My caseload is too high", column="ci_lower") == pytest.approx(100 * lower[()])
    assert value(polarity, "health_check_agree_item", "all", "item:workload:disagree",
                 "My caseload is too high", column="ci_upper") == pytest.approx(100 * upper[()])


def test_favourable_interval_takes_the_respondent_as_the_unit(polarity):
    # y = (2, 2, 0, 2), m = 2 each, p = 0.75. Linearised variance 4/3 x (0.25 + 0.25 + 2.25
    # + 0.25) / 8² = 0.0625; effective n = 0.75 x 0.25 / 0.0625 = 3 (design effect 8/3), so
    # the interval is Wilson on 2.25 of 3, wider than Wilson on 6 of 8 answers.
    lower, upper = wilson(2.25, 3)
    got_lower = value(polarity, "health_check_favourable_workload", "all", column="ci_lower")
    got_upper = value(polarity, "health_check_favourable_workload", "all", column="ci_upper")
    assert got_lower == pytest.approx(100 * lower[()], abs=1e-6)
    assert got_upper == pytest.approx(100 * upper[()], abs=1e-6)
    naive_lower, naive_upper = wilson(6, 8)
    assert got_upper - got_lower > 100 * (naive_upper[()] - naive_lower[()])


def test_favourable_interval_with_all_favourable_uses_respondents(polarity):
    # children: 4 of 4 favourable, p = 1: effective n is the 2 respondents
    lower, _ = wilson(2, 2)
    assert value(polarity, "health_check_favourable_workload", "children",
                 column="ci_lower") == pytest.approx(100 * lower[()], abs=1e-6)


def test_score_interval_is_clustered_by_respondent(polarity):
    # standard 3 scores: a (v-1)/4x100, b reversed: r1 a 100, b 100; r2 75, 75; r3 25, 0;
    # r4 75, 100. Mean 68.75 over 8 answers; y = (200, 150, 25, 175), m = 2.
    y = [200.0, 150.0, 25.0, 175.0]
    mean = sum(y) / 8
    variance = 4 / 3 * sum((v - mean * 2) ** 2 for v in y) / 64
    assert value(polarity, "health_check_score_standard_3", "all") == mean
    assert value(polarity, "health_check_score_standard_3", "all", column="ci_lower") == (
        pytest.approx(mean - 1.959964 * variance ** 0.5))


@pytest.mark.parametrize(
    "service, per_worker",
    [
        # (compliant, eligible) months per worker, from the derivation above:
        # children w1 (12, 12), w2 (0, 12), w3 (0, 11), w4 (1, 12), w5 (0, 5);
        # adults w5 (0, 6), w6 (0, 12): a share of 0, where the number of workers is the
        # effective sample size (the boundary).
        ("children", [(12, 12), (0, 12), (0, 11), (1, 12), (0, 5)]),
        ("adults", [(0, 6), (0, 12)]),
    ],
)
def test_supervision_interval_takes_the_worker_as_the_unit(measures, service, per_worker):
    # Worker-months are not independent: the interval is Wilson's on the effective sample
    # size r(1 - r) / v, with v the linearised variance of the ratio over workers,
    # n / (n - 1) x Σ (y_i - r m_i)² / (Σm)². Children: r = 13/52 = 0.25, Σ residual² =
    # 9² + 3² + 2.75² + 2² + 1.25² = 103.125, v = 1.25 x 103.125 / 52² , n_eff = 3.93
    # (of 52 worker-months: a design effect of about 13).
    y = [c for c, _ in per_worker]
    m = [e for _, e in per_worker]
    r = sum(y) / sum(m)
    n = len(per_worker)
    variance = n / (n - 1) * sum((yi - r * mi) ** 2 for yi, mi in per_worker) / sum(m) ** 2
    n_effective = n if r in (0, 1) else min(sum(m), r * (1 - r) / variance)
    lower, upper = wilson(r * n_effective, n_effective)
    assert value(measures, "supervision_compliance", service, column="ci_lower") == (
        pytest.approx(100 * float(lower), rel=1e-9))
    assert value(measures, "supervision_compliance", service, column="ci_upper") == (
        pytest.approx(100 * float(upper), rel=1e-9))
    # Wider than the Wilson interval that treats every worker-month as independent.
    naive_lower, naive_upper = wilson(sum(y), sum(m))
    assert upper - lower > naive_upper - naive_lower


@pytest.mark.parametrize(
    "service, category, largest, second",
    [
        # cpd hours in P by learner (see above): children w1 10; adults w6 6, w5 4;
        # all w1 10, w6 6, w5 4. One learner: the second contribution is 0.
        ("children", "cpd", 10, 0),
        ("children", "mandatory", 5, 0),
        ("adults", "cpd", 6, 4),
        ("all", "cpd", 10, 6),
    ],
)
def test_learning_hours_two_largest_contributions(measures, service, category, largest,
                                                  second):
    # For the p% dominance rule on published hours (docs/disclosure-control.md).
    assert value(measures, "learning_hours_largest", service, "category", category) == largest
    assert value(measures, "learning_hours_second_largest", service, "category",
                 category) == second


def _asye_months(tmp_path, sessions):
    """staging.worker_months of one ASYE social worker starting Mon 2 Oct 2023 (P is
    1 Oct 2023 to 30 Sep 2024), with supervision sessions on `sessions`."""
    from metrics_scenario import build

    worker = dict(worker_id="a1", service="children", agency_worker=0, fte=1.0,
                  role_start_date="2023-10-02", start_origin=1, asye=1)
    tmp_path.mkdir(parents=True, exist_ok=True)
    con, _ = build(tmp_path / "w.duckdb", tables=dict(
        hr_workforce=[worker],
        supervision=[dict(worker_id="a1", session_date=d, duration_minutes=60)
                     for d in sessions]))
    months = dict(con.execute(
        "select strftime(month_start, '%Y-%m'), is_compliant from staging.worker_months "
        "where worker_id = 'a1'").fetchall())
    required = dict(con.execute(
        "select strftime(month_start, '%Y-%m'), sessions_required from staging.worker_months "
        "where worker_id = 'a1'").fetchall())
    con.close()
    return months, required


def test_asye_supervision_in_week_5_follows_the_weekly_schedule(tmp_path):
    # ASYE framework: weekly for 6 weeks from 2 Oct (week 5 is 30 Oct-5 Nov, week 6 is
    # 6-12 Nov), then fortnightly from 13 Nov (13-26 Nov, 27 Nov-10 Dec). November overlaps
    # these four intervals; sessions on 1, 8, 20 Nov and 4 Dec hold one each: compliant.
    months, required = _asye_months(tmp_path, ["2023-11-01", "2023-11-08", "2023-11-20",
                                               "2023-12-04"])
    assert months["2023-11"] and required["2023-11"] == 4
    # Without the week-5 session (1 Nov) November still has two sessions (the old rule's
    # two a month), but week 5 had none: not compliant.
    months, _ = _asye_months(tmp_path / "b", ["2023-11-08", "2023-11-20", "2023-11-22",
                                              "2023-12-04"])
    assert not months["2023-11"]


def test_asye_supervision_at_month_7_is_monthly(tmp_path):
    # Fortnightly intervals from 13 Nov run whole to the one starting 1 Apr (before 2 Apr,
    # six months in); monthly intervals start 15 Apr: 15 Apr-14 May, 15 May-14 Jun, 15 Jun-
    # 14 Jul, 15 Jul-14 Aug. April (month 7 of the ASYE) overlaps 1-14 Apr (fortnightly)
    # and 15 Apr-14 May (monthly). July overlaps 15 Jun-14 Jul and 15 Jul-14 Aug: one
    # session in July (20 Jul) and one on 20 Jun are enough, where the old rule wanted two
    # in July.
    months, required = _asye_months(tmp_path, ["2024-04-05", "2024-04-20", "2024-05-20",
                                               "2024-06-20", "2024-07-20", "2024-08-20"])
    assert months["2024-04"] and required["2024-04"] == 2  # month 7: 1-14 Apr, 15 Apr-14 May
    assert months["2024-07"] and required["2024-07"] == 2
    # Month 8 (May): 15 Apr-14 May and 15 May-14 Jun both hold a session: compliant with
    # one session in May.
    assert months["2024-05"]
    # The session of 20 Jun missing: 15 Jun-14 Jul holds none, so June and July fail.
    months, _ = _asye_months(tmp_path / "b", ["2024-04-20", "2024-05-20", "2024-07-20",
                                              "2024-08-20"])
    assert not months["2024-06"] and not months["2024-07"] and months["2024-05"]
