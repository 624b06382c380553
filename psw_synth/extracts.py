"""One reporting year's extracts, cut from the authority's simulated history (docs/design.md §3).

Each function returns a pandas DataFrame in the contract's columns, rows sorted, values ready to
write. Dates are integer day numbers until `iso_dates` / `uk_dates` turn them into text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

from psw_core.config import AuthorityConfig
from psw_synth import calibration as cal
from psw_synth import lookups as lk
from psw_synth.history import NO_END, Spells, day, draw, uniform_days

ID_SPACE = 900_000  # six-digit ids 100000-999999
ID_BASE = 100_000
AGENCY_COVER_SHARE = 0.742  # DfE CSWW agency_cover_rate_fte 2017 (national_benchmarks.csv)
# Team names of both services in one array, indexed by service offset + team number.
ALL_TEAMS = np.array([t for service in lk.SERVICES for t in lk.TEAMS[service]], dtype=object)
TEAM_OFFSET = np.array([0, len(lk.TEAMS[lk.SERVICES[0]])])


@dataclass(frozen=True)
class IdScheme:
    """Maps running numbers to distinctive six-digit ids (e.g. NFC-W-004217) through an affine
    permutation, so an id never depends on how many were generated before it."""

    code: str
    multiplier: int
    offsets: dict[str, int]  # one per kind, so a case and a worker never share digits

    def ids(self, kind: str, numbers: np.ndarray) -> np.ndarray:
        digits = (numbers.astype(np.int64) * self.multiplier + self.offsets[kind]) % ID_SPACE
        return (f"{self.code}-{kind}-" + pd.Series(digits + ID_BASE).astype(str)).to_numpy(
            dtype=object
        )


# W worker, C case, A assessment, U audit, R survey response.
ID_KINDS = ("W", "C", "A", "U", "R")


def id_scheme(rng: np.random.Generator, code: str) -> IdScheme:
    multiplier = int(rng.integers(1000, ID_SPACE))
    while np.gcd(multiplier, ID_SPACE) != 1:  # coprime multiplier: a true permutation
        multiplier += 1
    offsets = rng.integers(0, ID_SPACE, len(ID_KINDS))
    return IdScheme(code, multiplier, dict(zip(ID_KINDS, offsets.tolist(), strict=True)))


@dataclass(frozen=True)
class Year:
    """The reporting year's dates as day numbers, and its bank holidays."""

    year: int
    p0: int  # first day of P
    r: int  # reference date R
    extract: int  # the day the extracts were taken
    holidays: np.ndarray  # datetime64[D]

    @property
    def working_days(self) -> int:
        return int(np.busday_count(as_date(self.p0), as_date(self.r + 1), holidays=self.holidays))

    def month_windows(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last day of each calendar month inside P."""
        first = np.arange(
            as_date(self.p0).astype("M8[M]"), as_date(self.r).astype("M8[M]") + 1
        ).astype("M8[D]")
        last = (first.astype("M8[M]") + 1).astype("M8[D]") - 1
        return first.astype(np.int64), last.astype(np.int64)


def reporting_year(config: AuthorityConfig, year: int) -> Year:
    r = day(config.reference_date(year))
    return Year(year, day(config.period_start(year)), r, r + cal.EXTRACT_LAG_DAYS,
                bank_holidays(config.country_code, year))


@lru_cache(maxsize=64)
def bank_holidays(subdivision: str, year: int) -> np.ndarray:
    """Bank holidays of the nation around the year (the `holidays` package, docs/design.md §4)."""
    days = holidays.country_holidays("GB", subdiv=subdivision, years=range(year - 2, year + 2))
    return np.array(sorted(days), dtype="M8[D]")


def as_date(days) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("M8[D]")


def iso_dates(days: np.ndarray, blank: np.ndarray | None = None) -> np.ndarray:
    """YYYY-MM-DD text; blank where `blank` is true."""
    text = np.datetime_as_string(as_date(np.minimum(days, day_limit())), unit="D").astype(object)
    if blank is not None:
        text[blank] = ""
    return text


def uk_dates(days: np.ndarray) -> np.ndarray:
    """D/M/YYYY text, as UK spreadsheets export it."""
    stamp = pd.DatetimeIndex(as_date(days))
    return (
        pd.Series(stamp.day).astype(str) + "/" + pd.Series(stamp.month).astype(str) + "/"
        + pd.Series(stamp.year).astype(str)
    ).to_numpy(dtype=object)


def day_limit() -> int:
    return int(np.datetime64("2999-12-31").astype("M8[D]").astype(np.int64))


def weekday_within(days: np.ndarray, low: np.ndarray, high: np.ndarray, yr: Year) -> np.ndarray:
    """Moves a date off weekends and bank holidays, staying inside [low, high] when it can."""
    dates = as_date(days)
    forward = np.busday_offset(dates, 0, roll="forward", holidays=yr.holidays).astype(np.int64)
    backward = np.busday_offset(dates, 0, roll="backward", holidays=yr.holidays).astype(np.int64)
    return np.where(forward <= high, forward, np.where(backward >= low, backward, days))


# --- the year's roster --------------------------------------------------------------------------

def roster(spells: Spells, yr: Year) -> pd.DataFrame:
    """Spells held at any time in P (and leavers whose end date is in P), one row each, with the
    year's derived flags. Spells ending after the extract was taken show no end date."""
    held = (spells["start"] <= yr.r) & (spells["end"] >= yr.p0)
    frame = pd.DataFrame({k: v[held] for k, v in spells.cols.items()})
    frame["end_shown"] = frame["end"] <= yr.extract
    # In the ASYE during the year: newly qualified, directly employed, first year overlaps P.
    frame["asye"] = (
        (frame["start_origin"] == lk.START_ORIGIN_NEWLY_QUALIFIED)
        & (frame["agency"] == 0)
        & (frame["start"] + 365 > yr.p0)
    ).astype(np.int64)
    frame["in_post_at_r"] = (frame["start"] <= yr.r) & (frame["end"] > yr.r)
    frame["case_holder"] = frame["org_role"].isin(lk.CASE_HOLDING_ROLES)
    # First and last day in post within P (inclusive).
    frame["p_first"] = np.maximum(frame["start"], yr.p0)
    frame["p_last"] = np.minimum(frame["end"] - 1, yr.r)
    team_now = np.where(frame["team_move_year"] > yr.year, frame["prev_team"], frame["team"])
    frame["team_name"] = ALL_TEAMS[TEAM_OFFSET[frame["service"].to_numpy()] + team_now]
    return frame.reset_index(drop=True)


def hr_workforce(
    ros: pd.DataFrame, yr: Year, ids: IdScheme, rng: np.random.Generator
) -> pd.DataFrame:
    """`hr_workforce`: one row per spell held in the year (docs/design.md §3)."""
    days_lost, stress_lost = absence(ros, yr, rng)
    end_blank = ~ros["end_shown"].to_numpy()
    frame = pd.DataFrame({
        "worker_id": ids.ids("W", ros["worker"].to_numpy()),
        "first_name": np.asarray(lk.FIRST_NAMES, dtype=object)[ros["first"]],
        "surname": np.asarray(lk.SURNAMES, dtype=object)[ros["surname"]],
        "service": np.asarray(lk.SERVICES, dtype=object)[ros["service"]],
        "team": ros["team_name"],
        "org_role": ros["org_role"],
        "agency_worker": ros["agency"],
        "fte": ros["fte"],
        "role_start_date": iso_dates(ros["start"].to_numpy()),
        "role_end_date": iso_dates(ros["end"].to_numpy(), end_blank),
        "start_origin": codes(ros["start_origin"], ros["start_origin"] == 0),
        "reason_leave": codes(ros["reason_leave"], end_blank),
        "leaver_destination": codes(ros["destination"], end_blank),
        "person_birth_date": iso_dates(ros["birth"].to_numpy()),
        "gender": ros["gender"],
        "ethnicity": np.asarray(lk.ETHNICITIES, dtype=object)[ros["ethnicity"]],
        "qual_level": ros["qual_level"],
        "step_up_grad": ros["step_up"],
        "frontline_grad": ros["frontline"],
        "international_recruit": ros["international"],
        "apprentice": ros["apprentice"],
        "asye": ros["asye"],
        "working_days_lost": days_lost,
        "stress_days_lost": stress_lost,
    })
    return frame.sort_values(["worker_id", "role_start_date"], kind="stable", ignore_index=True)


def codes(values: pd.Series, blank) -> pd.Series:
    """A code column with blanks (nullable integers print as empty cells)."""
    return pd.Series(values.to_numpy(), dtype="Int64").mask(np.asarray(blank))


def absence(ros: pd.DataFrame, yr: Year, rng: np.random.Generator) -> tuple[pd.Series, pd.Series]:
    """Sickness days lost in P and the stress share, for directly employed spells.

    Calibrated so Σ days / FTE in post ≈ the national absence rate × working days in P: a share
    of people have no absence, most have a few short spells, a few a long-term episode. Agency
    workers' absence is not recorded by the authority, so it is blank.
    """
    n = len(ros)
    mean_days = cal.targets("children", yr.year)["absence"] / 100 * yr.working_days
    in_post_days = np.busday_count(
        as_date(ros["p_first"]), as_date(np.maximum(ros["p_last"] + 1, ros["p_first"])),
        holidays=yr.holidays,
    )
    exposure = ros["fte"].to_numpy() * in_post_days / yr.working_days
    kind = rng.random(n)
    long_term = (kind >= cal.NO_ABSENCE_SHARE) & (
        kind < cal.NO_ABSENCE_SHARE + cal.LONG_TERM_PEOPLE_SHARE
    )
    short = kind >= cal.NO_ABSENCE_SHARE + cal.LONG_TERM_PEOPLE_SHARE
    short_people = 1 - cal.NO_ABSENCE_SHARE - cal.LONG_TERM_PEOPLE_SHARE
    long_mean = cal.LONG_TERM_DAYS_SHARE * mean_days / cal.LONG_TERM_PEOPLE_SHARE
    short_mean = (1 - cal.LONG_TERM_DAYS_SHARE) * mean_days / short_people
    raw = np.where(long_term, rng.gamma(2.0, long_mean / 2.0, n), 0.0) + np.where(
        short, rng.gamma(1.2, short_mean / 1.2, n), 0.0
    )
    days_lost = np.minimum(np.round(raw * exposure * 2) / 2, in_post_days)
    stress_share = np.where(
        long_term, (rng.random(n) < 0.55).astype(float),
        np.where(rng.random(n) < 0.2, rng.uniform(0.2, 1.0, n), 0.0),
    )
    stress_lost = np.floor(days_lost * stress_share * 2) / 2  # floor keeps stress <= days lost
    agency = ros["agency"].to_numpy() == 1
    return (
        pd.Series(days_lost, dtype="Float64").mask(agency),
        pd.Series(stress_lost, dtype="Float64").mask(agency),
    )


def hr_vacancies(ros: pd.DataFrame, yr: Year, rng: np.random.Generator) -> pd.DataFrame:
    """`hr_vacancies` at R, one row per service and team: vacancies sized to the target
    vacancy rate, shared across teams in proportion to their directly employed FTE."""
    at_r = ros[ros["in_post_at_r"]]
    direct = at_r[at_r["agency"] == 0].groupby(["service", "team_name"])["fte"].sum()
    agency = at_r[at_r["agency"] == 1].groupby(["service", "team_name"])["fte"].agg(["sum", "size"])
    teams = pd.DataFrame(
        [(s, t) for s, service in enumerate(lk.SERVICES) for t in lk.TEAMS[service]],
        columns=["service", "team_name"],
    )
    teams = teams.join(direct.rename("direct_fte"), on=["service", "team_name"]).join(
        agency, on=["service", "team_name"]
    ).fillna(0.0)
    rate = np.array([cal.targets(lk.SERVICES[s], yr.year)["vacancy"] for s in teams["service"]])
    noise = rng.normal(1.0, 0.15, len(teams)).clip(0.5, 1.5)  # teams differ around the rate
    vacancies = teams["direct_fte"] * rate / (100 - rate) * noise
    cover_share = AGENCY_COVER_SHARE * rng.uniform(0.8, 1.0, len(teams))
    return pd.DataFrame({
        "service": np.asarray(lk.SERVICES, dtype=object)[teams["service"]],
        "team": teams["team_name"],
        "vacancies_fte": vacancies.round(1),
        "agency_cover_fte": (teams["sum"] * cover_share).round(1),
        "agency_cover_headcount": np.round(teams["size"] * cover_share).astype(np.int64),
    })


# --- practice extracts --------------------------------------------------------------------------

def active(ros: pd.DataFrame) -> pd.DataFrame:
    """Spells in post on at least one day of P."""
    return ros[ros["p_first"] <= ros["p_last"]]


def supervision(
    ros: pd.DataFrame, yr: Year, ids: IdScheme, rng: np.random.Generator
) -> pd.DataFrame:
    """`supervision`: sessions held in P, about one a month (two for ASYE), agency included."""
    act = active(ros)
    month_first, month_last = yr.month_windows()
    low = np.maximum(act["p_first"].to_numpy()[:, None], month_first[None, :])
    high = np.minimum(act["p_last"].to_numpy()[:, None], month_last[None, :])
    spell_i, month_j = np.nonzero(low <= high)
    asye = act["asye"].to_numpy()[spell_i] == 1
    counts = np.where(
        asye,
        rng.choice(4, len(spell_i), p=cal.SESSIONS_P_ASYE),
        rng.choice(4, len(spell_i), p=cal.SESSIONS_P_STANDARD),
    )
    cell = np.repeat(np.arange(len(spell_i)), counts)
    lo, hi = low[spell_i, month_j][cell], high[spell_i, month_j][cell]
    dates = weekday_within(uniform_days(rng, lo, hi), lo, hi, yr)
    frame = pd.DataFrame({
        "worker_id": ids.ids("W", act["worker"].to_numpy()[spell_i][cell]),
        "session_date": dates,
        "duration_minutes": draw(
            rng, lk.SUPERVISION_MINUTES, lk.SUPERVISION_MINUTES_WEIGHTS, len(cell)
        ),
    }).sort_values(["worker_id", "session_date"], kind="stable", ignore_index=True)
    # One session a day per worker: a second row on the same day reads as a duplicate entry.
    frame = frame.drop_duplicates(["worker_id", "session_date"], ignore_index=True)
    frame["session_date"] = uk_dates(frame["session_date"].to_numpy())
    return frame


def learning(ros: pd.DataFrame, yr: Year, ids: IdScheme, rng: np.random.Generator) -> pd.DataFrame:
    """`learning`: completed activities; ASYE and apprentices add their own programmes."""
    act = active(ros)
    exposure = (act["p_last"] - act["p_first"] + 1).to_numpy() / (yr.r - yr.p0 + 1)
    rate = np.where(act["agency"] == 1, 2.0, 7.0)  # agency staff do little of our training
    general = rng.poisson(rate * exposure)
    programme = np.where(act["asye"] == 1, rng.poisson(4 * exposure), 0) + np.where(
        act["apprentice"] == 1, rng.poisson(3 * exposure), 0
    )
    spell = np.concatenate([
        np.repeat(np.arange(len(act)), general), np.repeat(np.arange(len(act)), programme)
    ])
    category = np.concatenate([
        draw(rng, lk.GENERAL_LEARNING, lk.GENERAL_LEARNING_WEIGHTS, int(general.sum())),
        np.where(np.repeat(act["asye"].to_numpy(), programme) == 1, "asye", "apprenticeship"),
    ]).astype(object)
    as_series = pd.Series(category)
    low = as_series.map({c: b[0] for c, b in lk.LEARNING_HOURS.items()}).to_numpy(float)
    high = as_series.map({c: b[1] for c, b in lk.LEARNING_HOURS.items()}).to_numpy(float)
    hours = np.round(rng.uniform(low, high) * 2) / 2
    pick = rng.random(len(category))
    activity = np.empty(len(category), dtype=object)
    for name, titles in lk.LEARNING_ACTIVITIES.items():  # one pass per category, not per row
        mine = category == name
        activity[mine] = np.asarray(titles, dtype=object)[(pick[mine] * len(titles)).astype(int)]
    lo, hi = act["p_first"].to_numpy()[spell], act["p_last"].to_numpy()[spell]
    completed = weekday_within(uniform_days(rng, lo, hi), lo, hi, yr)
    # A few records completed just before P (a late upload): valid, ignored by the measures.
    early = (rng.random(len(spell)) < 0.01) & (act["start"].to_numpy()[spell] < yr.p0 - 30)
    completed = np.where(early, yr.p0 - rng.integers(1, 21, len(spell)), completed)
    frame = pd.DataFrame({
        "worker_id": ids.ids("W", act["worker"].to_numpy()[spell]),
        "activity": activity,
        "category": category,
        "hours": hours,
        "completed_date": completed,
    }).sort_values(["worker_id", "completed_date", "activity"], kind="stable", ignore_index=True)
    frame["completed_date"] = iso_dates(frame["completed_date"].to_numpy())
    return frame


def caseload(ros: pd.DataFrame, yr: Year, ids: IdScheme, rng: np.random.Generator) -> pd.DataFrame:
    """Allocations open at R and allocations closed in P, by case-holding spell.

    Open allocations per worker are drawn around the target caseload per case-holding FTE
    (ASYE protected caseloads lower), allowing for co-worked cases that count for each worker.
    Returns day numbers; `caseload_extract` formats it.
    """
    holders = ros[ros["case_holder"]].reset_index(drop=True)
    at_r = holders["in_post_at_r"].to_numpy()
    asye = holders["asye"].to_numpy() == 1
    fte = holders["fte"].to_numpy()
    service = holders["service"].to_numpy()
    target = np.array([cal.targets(s, yr.year)["caseload"] for s in lk.SERVICES])[service]
    # Per-FTE intensity for non-ASYE holders so the service's mean lands on its target.
    per_fte = np.zeros(len(holders))
    for s in (0, 1):
        mine = at_r & (service == s)
        total = target[mine][:1].sum() * fte[mine].sum() / (1 + cal.CO_WORKED_SHARE)
        others = fte[mine & ~asye].sum()
        per_fte[service == s] = max(total - cal.ASYE_MEAN_CASELOAD * (mine & asye).sum(), 0) / max(
            others, 1e-9
        )
    open_n = np.where(
        at_r, np.where(asye, rng.poisson(cal.ASYE_MEAN_CASELOAD, len(holders)),
                       rng.poisson(per_fte * fte)), 0
    )
    exposure = (holders["p_last"] - holders["p_first"] + 1).clip(lower=0).to_numpy() / (
        yr.r - yr.p0 + 1
    )
    closed_n = rng.poisson(cal.CLOSED_PER_OPEN * per_fte * fte * exposure)
    start = holders["start"].to_numpy()

    who_open = np.repeat(np.arange(len(holders)), open_n)
    open_alloc = uniform_days(rng, np.maximum(start[who_open], yr.r - 700), yr.r)
    who_closed = np.repeat(np.arange(len(holders)), closed_n)
    dealloc_lo = np.maximum(start[who_closed] + 1, yr.p0)
    dealloc_hi = np.minimum(holders["end"].to_numpy()[who_closed], yr.r)
    keep = dealloc_lo <= dealloc_hi
    who_closed, dealloc_lo, dealloc_hi = who_closed[keep], dealloc_lo[keep], dealloc_hi[keep]
    dealloc = uniform_days(rng, dealloc_lo, dealloc_hi)
    closed_alloc = uniform_days(rng, np.maximum(start[who_closed], dealloc - 540), dealloc - 1)

    who = np.concatenate([who_open, who_closed])
    frame = pd.DataFrame({
        "holder": who,
        "service": service[who],
        "allocated": np.concatenate([open_alloc, closed_alloc]),
        "deallocated": np.concatenate([np.full(len(who_open), NO_END), dealloc]),
    })
    frame["case_no"] = rng.permutation(len(frame))
    frame["case_type"] = ""
    for s, name in enumerate(lk.SERVICES):
        mine = frame["service"].to_numpy() == s
        frame.loc[mine, "case_type"] = draw(
            rng, lk.CASE_TYPES[name], lk.CASE_TYPE_WEIGHTS[name], int(mine.sum())
        )
    frame = pd.concat([frame, co_workers(frame, holders, yr, rng)], ignore_index=True)
    frame["worker"] = holders["worker"].to_numpy()[frame["holder"]]
    return frame


def co_workers(frame: pd.DataFrame, holders: pd.DataFrame, yr: Year,
               rng: np.random.Generator) -> pd.DataFrame:
    """Second allocations of some open cases to another worker in the same service."""
    open_rows = frame[frame["deallocated"] == NO_END]
    chosen = open_rows[rng.random(len(open_rows)) < cal.CO_WORKED_SHARE]
    # ASYE caseloads stay protected: newly qualified staff are not asked to co-work.
    at_r = np.flatnonzero(holders["in_post_at_r"].to_numpy() & (holders["asye"].to_numpy() == 0))
    service_of = holders["service"].to_numpy()
    partner = np.empty(len(chosen), dtype=np.int64)
    for s in (0, 1):
        pool = at_r[service_of[at_r] == s]
        mine = chosen["service"].to_numpy() == s
        partner[mine] = pool[rng.integers(0, max(len(pool), 1), mine.sum())] if len(pool) else -1
    worker = holders["worker"].to_numpy()
    valid = (partner >= 0) & (worker[np.maximum(partner, 0)] != worker[chosen["holder"]])
    chosen, partner = chosen[valid], partner[valid]
    low = np.maximum(holders["start"].to_numpy()[partner], chosen["allocated"].to_numpy())
    return chosen.assign(holder=partner, allocated=uniform_days(rng, low, np.full(len(low), yr.r)))


def caseload_extract(alloc: pd.DataFrame, yr: Year, ids: IdScheme) -> pd.DataFrame:
    frame = pd.DataFrame({
        "case_id": ids.ids("C", alloc["case_no"].to_numpy() + case_block(yr)),
        "worker_id": ids.ids("W", alloc["worker"].to_numpy()),
        "service": np.asarray(lk.SERVICES, dtype=object)[alloc["service"]],
        "case_type": alloc["case_type"].to_numpy(dtype=object),
        "allocated_date": iso_dates(alloc["allocated"].to_numpy()),
        "deallocated_date": iso_dates(
            alloc["deallocated"].to_numpy(), alloc["deallocated"].to_numpy() == NO_END
        ),
    })
    return frame.sort_values(["case_id", "allocated_date", "worker_id"], kind="stable",
                             ignore_index=True)


def case_block(yr: Year) -> int:
    """Case numbers of different years come from different blocks of the id space."""
    return (yr.year % 9) * (ID_SPACE // 9)


def assessments(alloc: pd.DataFrame, ros: pd.DataFrame, yr: Year, ids: IdScheme,
                rng: np.random.Generator) -> pd.DataFrame:
    """`assessments`: started around P on allocated cases; most completed within timescale
    (45 working days for a single assessment, 28 calendar days under the Care Act)."""
    holding_fte = ros[ros["case_holder"] & ros["in_post_at_r"]].groupby("service")["fte"].sum()
    parts = []
    for s, name in enumerate(lk.SERVICES):
        pool = alloc[(alloc["service"] == s) & (alloc["allocated"] >= yr.p0 - 120)]
        n = rng.poisson(cal.ASSESSMENTS_PER_FTE[name] * holding_fte.get(s, 0.0)) if len(pool) else 0
        parts.append(pool.iloc[rng.integers(0, max(len(pool), 1), n)])
    chosen = pd.concat(parts, ignore_index=True)
    n = len(chosen)
    kind = np.where(
        rng.random(n) < cal.OTHER_ASSESSMENT_SHARE, "other",
        np.asarray([lk.ASSESSMENT_TYPE[s] for s in lk.SERVICES], dtype=object)[chosen["service"]],
    ).astype(object)
    lo = np.maximum(chosen["allocated"].to_numpy(), yr.p0 - 60)
    hi = np.maximum(np.minimum(chosen["deallocated"].to_numpy() - 1, yr.r), lo)
    start = weekday_within(uniform_days(rng, lo, hi), lo, hi, yr)
    on_time = rng.random(n) < pd.Series(kind).map(cal.ON_TIME_SHARE).to_numpy(float)
    working = kind == "single_assessment"
    # Margins either side of the timescale keep "on time" unambiguous whatever the counting rule.
    working_days = np.where(on_time, rng.integers(5, 41, n), rng.integers(50, 91, n))
    calendar_days = np.where(
        kind == "care_act_assessment",
        np.where(on_time, rng.integers(3, 26, n), rng.integers(32, 71, n)),
        rng.integers(5, 61, n),
    )
    by_working = np.busday_offset(
        as_date(start), working_days, roll="forward", holidays=yr.holidays
    ).astype(np.int64)
    completed = np.where(working, by_working, start + calendar_days)
    frame = pd.DataFrame({
        "assessment_no": np.arange(n),
        "case_no": chosen["case_no"].to_numpy(),
        "worker": chosen["worker"].to_numpy(),
        "service": chosen["service"].to_numpy(),
        "assessment_type": kind,
        "start": start,
        "completed": completed,
    })
    return pd.DataFrame({
        "assessment_id": ids.ids("A", frame["assessment_no"].to_numpy() + case_block(yr)),
        "case_id": ids.ids("C", frame["case_no"].to_numpy() + case_block(yr)),
        "worker_id": ids.ids("W", frame["worker"].to_numpy()),
        "service": np.asarray(lk.SERVICES, dtype=object)[frame["service"]],
        "assessment_type": frame["assessment_type"],
        "start_date": iso_dates(frame["start"].to_numpy()),
        # Still open when the extract was taken: blank.
        "completed_date": iso_dates(frame["completed"].to_numpy(), completed > yr.extract),
    }).sort_values("assessment_id", kind="stable", ignore_index=True)


def audits(alloc: pd.DataFrame, ros: pd.DataFrame, yr: Year, ids: IdScheme,
           rng: np.random.Generator) -> pd.DataFrame:
    """`audits`: case file audits in P, mostly graded good."""
    holding_fte = ros[ros["case_holder"] & ros["in_post_at_r"]]["fte"].sum()
    lo = np.maximum(alloc["allocated"].to_numpy(), yr.p0)
    hi = np.minimum(alloc["deallocated"].to_numpy() - 1, yr.r)
    pool = np.flatnonzero(lo <= hi)
    n = rng.poisson(cal.AUDITS_PER_FTE * holding_fte) if len(pool) else 0
    pick = pool[rng.integers(0, max(len(pool), 1), n)]
    audit_date = weekday_within(uniform_days(rng, lo[pick], hi[pick]), lo[pick], hi[pick], yr)
    chosen = alloc.iloc[pick]
    return pd.DataFrame({
        "audit_id": ids.ids("U", np.arange(n) + case_block(yr)),
        "case_id": ids.ids("C", chosen["case_no"].to_numpy() + case_block(yr)),
        "worker_id": ids.ids("W", chosen["worker"].to_numpy()),
        "service": np.asarray(lk.SERVICES, dtype=object)[chosen["service"]],
        "audit_date": iso_dates(audit_date),
        "grade": draw(rng, cal.AUDIT_GRADES, cal.AUDIT_GRADE_WEIGHTS, n).astype(object),
    }).sort_values("audit_id", kind="stable", ignore_index=True)
