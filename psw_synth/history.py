"""One simulated employment history for an authority, across all years.

People persist from year to year: each reporting year, some spells end (leavers, moves between
services, agency assignments ending) and new spells start, sized so that the children's FTE
turnover, the agency rate and the workforce size land on the calibration targets. Each year's
`hr_workforce` extract is then a window on this one history (see extracts.py).

Dates are held as integer day numbers (days since 1970-01-01) so that every step is plain numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from psw_core.config import AuthorityConfig
from psw_synth import calibration as cal
from psw_synth import lookups as lk

NO_END = np.int64(2**31 - 1)  # "still in post": later than any date we generate
EPOCH = date(1970, 1, 1)
DAYS_PER_YEAR = 365.25

# Columns that describe the person, copied when a person starts a new spell (service move,
# agency conversion).
PERSON_COLUMNS = (
    "worker", "first", "surname", "birth", "gender", "ethnicity", "qual_level",
    "step_up", "frontline", "international", "apprentice",
)
SPELL_COLUMNS = PERSON_COLUMNS + (
    "service", "agency", "fte", "start", "end", "start_origin", "reason_leave",
    "destination", "org_role", "team", "prev_team", "team_move_year",
)


def day(d: date) -> int:
    return (d - EPOCH).days


def draw(rng: np.random.Generator, values, weights, n: int) -> np.ndarray:
    """n draws from a fixed code list with (normalised) weights."""
    p = np.asarray(weights, dtype=float)
    return np.asarray(values)[rng.choice(len(values), size=n, p=p / p.sum())]


def uniform_days(rng: np.random.Generator, low, high) -> np.ndarray:
    """Integer days uniformly in [low, high] (arrays or scalars; high >= low)."""
    low = np.asarray(low, dtype=np.int64)
    high = np.asarray(high, dtype=np.int64)
    return low + np.floor(rng.random(np.broadcast(low, high).shape) * (high - low + 1)).astype(
        np.int64
    )


@dataclass
class Spells:
    """Column arrays, one element per employment spell."""

    cols: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.cols["worker"])

    def take(self, idx: np.ndarray) -> Spells:
        return Spells({k: v[idx] for k, v in self.cols.items()})

    def append(self, other: Spells) -> None:
        self.cols = {k: np.concatenate([v, other.cols[k]]) for k, v in self.cols.items()}

    def __getitem__(self, key: str) -> np.ndarray:
        return self.cols[key]


class WorkerNumbers:
    """Hands out person numbers; they become NFC-W-###### ids at extraction."""

    def __init__(self) -> None:
        self.next = 0

    def take(self, n: int) -> np.ndarray:
        out = np.arange(self.next, self.next + n, dtype=np.int64)
        self.next += n
        return out


def new_people(
    rng: np.random.Generator, numbers: WorkerNumbers, service: int, agency: int,
    start: np.ndarray, start_origin: np.ndarray,
) -> Spells:
    """Fresh spells for people new to the authority (vectorised over n = len(start))."""
    n = len(start)
    newly_qualified = start_origin == lk.START_ORIGIN_NEWLY_QUALIFIED
    age_at_start = np.where(newly_qualified, rng.uniform(22, 38, n), rng.uniform(25, 58, n))
    org_role = draw(rng, lk.ORG_ROLES, lk.ORG_ROLE_WEIGHTS, n)
    org_role = np.where(newly_qualified | (agency == 1), 5, org_role)
    children = service == 0
    # Step Up and Frontline are children's fast-track routes into newly qualified posts.
    fast_track = rng.random(n)
    cols = {
        "worker": numbers.take(n),
        "first": rng.integers(0, len(lk.FIRST_NAMES), n),
        "surname": rng.integers(0, len(lk.SURNAMES), n),
        "birth": start - np.round(age_at_start * DAYS_PER_YEAR).astype(np.int64),
        "gender": draw(rng, lk.GENDERS, lk.GENDER_WEIGHTS, n),
        "ethnicity": rng.choice(
            len(lk.ETHNICITIES), n, p=np.asarray(lk.ETHNICITY_WEIGHTS) / sum(lk.ETHNICITY_WEIGHTS)
        ),
        "qual_level": draw(rng, lk.QUAL_LEVELS, lk.QUAL_LEVEL_WEIGHTS, n),
        "step_up": (newly_qualified & children & (fast_track < 0.08)).astype(np.int64),
        "frontline": (newly_qualified & children & (fast_track > 0.88)).astype(np.int64),
        "international": ((start_origin == 3) & (rng.random(n) < 0.6) & (agency == 0)).astype(
            np.int64
        ),
        "apprentice": (newly_qualified & (rng.random(n) < 0.12)).astype(np.int64),
        "service": np.full(n, service, dtype=np.int64),
        "agency": np.full(n, agency, dtype=np.int64),
        "fte": draw_fte(rng, n, agency),
        "start": start.astype(np.int64),
        "end": np.full(n, NO_END, dtype=np.int64),
        "start_origin": start_origin.astype(np.int64),
        "reason_leave": np.zeros(n, dtype=np.int64),
        "destination": np.zeros(n, dtype=np.int64),
        "org_role": org_role.astype(np.int64),
        "team": rng.integers(0, len(lk.TEAMS[lk.SERVICES[service]]), n),
        "prev_team": np.full(n, -1, dtype=np.int64),
        "team_move_year": np.zeros(n, dtype=np.int64),
    }
    return Spells(cols)


def draw_fte(rng: np.random.Generator, n: int, agency: int) -> np.ndarray:
    """Mostly full time; agency assignments are full time."""
    if agency:
        return np.ones(n)
    return draw(rng, cal.FTE_VALUES, cal.FTE_WEIGHTS, n).astype(float)


def fill_to_fte(rng: np.random.Generator, needed: float, agency: int) -> np.ndarray:
    """FTE values of new spells whose total first reaches `needed` (none when needed <= 0)."""
    if needed <= 0:
        return np.empty(0)
    candidates = draw_fte(rng, int(needed / 0.5) + 2, agency)  # 0.5 is the smallest contract
    count = int(np.searchsorted(np.cumsum(candidates), needed - 1e-9)) + 1
    return candidates[:count]


def leaving_codes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """CSWW ReasonLeave and LeaverDestination for ordinary leavers; retirees leave work."""
    reason = draw(rng, lk.REASONS_LEAVE, lk.REASON_LEAVE_WEIGHTS, n)
    destination = draw(rng, lk.DESTINATIONS, lk.DESTINATION_WEIGHTS, n)
    return reason, np.where(reason == lk.REASON_RETIRED, lk.DESTINATION_RETIRED, destination)


def simulate_history(
    rng: np.random.Generator,
    config: AuthorityConfig,
    first_year: int,
    last_year: int,
    headcount: dict[str, float],
    rate_offset: dict[str, float],
) -> Spells:
    """Spells of one authority from before `first_year` to the reference date of `last_year`.

    headcount: headcount in post at R by service (agency included); rate_offset: percentage
    points added to the turnover target (spread between authorities).
    """
    numbers = WorkerNumbers()
    r0 = day(config.reference_date(first_year - 1))
    records_began = r0 - int(cal.RECORDS_BEGAN_YEARS * DAYS_PER_YEAR)
    parts = []
    direct_fte_0 = {}
    for s, service in enumerate(lk.SERVICES):
        agency_share = cal.targets(service, first_year)["agency"] / 100
        n_direct = int(round(headcount[service] * (1 - agency_share)))
        n_agency = max(int(round(headcount[service])) - n_direct, 0)
        tenure = np.minimum(rng.exponential(6.5 * DAYS_PER_YEAR, n_direct), 30 * DAYS_PER_YEAR)
        start = r0 - 1 - tenure.astype(np.int64)
        origin = draw(rng, lk.START_ORIGINS, lk.START_ORIGIN_WEIGHTS, n_direct)
        direct = new_people(rng, numbers, s, 0, start, origin)
        # Age at R0: working age, and at least 22 when the spell started.
        age_now = np.maximum(rng.uniform(24, 60, n_direct), tenure / DAYS_PER_YEAR + 22)
        direct.cols["birth"] = r0 - np.round(age_now * DAYS_PER_YEAR).astype(np.int64)
        # Start origin was not recorded before the current HR system.
        direct.cols["start_origin"] = np.where(start < records_began, 0, origin)
        direct_fte_0[service] = direct["fte"].sum()
        agency_start = r0 - 1 - rng.exponential(0.9 * DAYS_PER_YEAR, n_agency).astype(np.int64)
        agency_origin = draw(rng, lk.AGENCY_START_ORIGINS, lk.AGENCY_START_ORIGIN_WEIGHTS, n_agency)
        parts += [direct, new_people(rng, numbers, s, 1, agency_start, agency_origin)]
    spells = parts[0]
    for part in parts[1:]:
        spells.append(part)

    for year in range(first_year, last_year + 1):
        simulate_year(rng, spells, numbers, config, year, first_year, direct_fte_0, rate_offset)
    return spells


def simulate_year(
    rng: np.random.Generator, spells: Spells, numbers: WorkerNumbers, config: AuthorityConfig,
    year: int, first_year: int, direct_fte_0: dict[str, float], rate_offset: dict[str, float],
) -> None:
    """Ends and starts spells within P of `year`, in place."""
    p0, r = day(config.period_start(year)), day(config.reference_date(year))
    open_ = spells["end"] == NO_END
    new_parts: list[Spells] = []
    incoming_fte = {0: 0.0, 1: 0.0}

    # 1. Moves between services: a spell ends (reason 7) and one starts in the other service
    #    within 7 days (docs/design.md §3, §4 "Moves between services").
    movers_out_fte = {}
    for s in (0, 1):
        stock = np.flatnonzero(open_ & (spells["service"] == s) & (spells["agency"] == 0))
        movers = stock[rng.random(len(stock)) < cal.SERVICE_MOVE_RATE]
        end = uniform_days(rng, np.full(len(movers), p0), r - 10)
        spells["end"][movers] = end
        spells["reason_leave"][movers] = lk.REASON_SERVICE_MOVE
        spells["destination"][movers] = lk.DESTINATION_OTHER
        moved = spells.take(movers)
        moved.cols.update(
            service=np.full(len(movers), 1 - s),
            start=end + rng.integers(1, 8, len(movers)),
            end=np.full(len(movers), NO_END),
            start_origin=np.full(len(movers), lk.START_ORIGIN_SERVICE_MOVE),
            reason_leave=np.zeros(len(movers), dtype=np.int64),
            destination=np.zeros(len(movers), dtype=np.int64),
            team=rng.integers(0, len(lk.TEAMS[lk.SERVICES[1 - s]]), len(movers)),
            prev_team=np.full(len(movers), -1),
            team_move_year=np.zeros(len(movers), dtype=np.int64),
        )
        new_parts.append(moved)
        movers_out_fte[s] = spells["fte"][movers].sum()
        incoming_fte[1 - s] += moved["fte"].sum()

    for s, service in enumerate(lk.SERVICES):
        target = cal.targets(service, year)
        direct_target = direct_fte_0[service] * (1 + cal.WORKFORCE_GROWTH) ** (
            year - first_year + 1
        )
        leavers_budget = (target["turnover"] + rate_offset[service]) / 100 * direct_target
        still_open = spells["end"] == NO_END
        direct = np.flatnonzero(still_open & (spells["service"] == s) & (spells["agency"] == 0))

        # 2. Agency assignments end; a few agency workers convert to direct employment.
        agency = np.flatnonzero(still_open & (spells["service"] == s) & (spells["agency"] == 1))
        agency_leavers = agency[rng.random(len(agency)) < cal.AGENCY_CHURN]
        agency_end = uniform_days(rng, np.full(len(agency_leavers), p0), r - 1)
        spells["end"][agency_leavers] = agency_end
        spells["reason_leave"][agency_leavers] = lk.REASON_AGENCY_END
        spells["destination"][agency_leavers] = lk.DESTINATION_AGENCY
        converting = rng.random(len(agency_leavers)) < cal.AGENCY_CONVERSION_SHARE
        conversions = spells.take(agency_leavers[converting])
        nc = len(conversions)
        conversions.cols.update(
            agency=np.zeros(nc, dtype=np.int64),
            fte=draw_fte(rng, nc, 0),
            start=agency_end[converting] + 1,
            end=np.full(nc, NO_END),
            start_origin=np.full(nc, lk.START_ORIGIN_AGENCY),
            reason_leave=np.zeros(nc, dtype=np.int64),
            destination=np.zeros(nc, dtype=np.int64),
        )
        spells["destination"][agency_leavers[converting]] = lk.DESTINATION_OTHER

        # 3. Direct starters fill what leavers free up, plus growth towards the target size.
        direct_fte = spells["fte"][direct].sum()
        starters_needed = (
            direct_target - direct_fte + leavers_budget - incoming_fte[s] - conversions["fte"].sum()
        )
        fte = fill_to_fte(rng, starters_needed, 0)
        start = uniform_days(rng, np.full(len(fte), p0), r)
        origin = draw(rng, lk.START_ORIGINS, lk.START_ORIGIN_WEIGHTS, len(fte))
        starters = new_people(rng, numbers, s, 0, start, origin)
        starters.cols["fte"] = fte

        # 4. A few starters leave again within the year.
        quick = (rng.random(len(starters)) < cal.SAME_YEAR_LEAVER_RATE) & (start <= r - 60)
        quick_end = uniform_days(rng, start[quick] + 30, np.full(quick.sum(), r))
        starters.cols["end"][quick] = quick_end
        reason, destination = leaving_codes(rng, int(quick.sum()))
        starters.cols["reason_leave"][quick] = reason
        starters.cols["destination"][quick] = destination

        # 5. Leavers from the stock use up the rest of the FTE leaver budget.
        budget = leavers_budget - movers_out_fte[s] - starters["fte"][quick].sum()
        order = rng.permutation(direct)
        cumulative = np.cumsum(spells["fte"][order])
        n_leave = int(np.searchsorted(cumulative, budget)) if budget > 0 else 0
        if n_leave < len(order) and budget > 0:
            below = cumulative[n_leave - 1] if n_leave else 0.0
            n_leave += int(cumulative[n_leave] - budget < budget - below)  # the closer total
        leavers = order[:n_leave]
        spells["end"][leavers] = uniform_days(rng, np.full(n_leave, p0), r)
        reason, destination = leaving_codes(rng, n_leave)
        spells["reason_leave"][leavers] = reason
        spells["destination"][leavers] = destination

        # 6. Team moves inside the service: the same spell, a new team from this year on.
        stayers = order[n_leave:]
        stayers = stayers[spells["team_move_year"][stayers] == 0]
        moving = stayers[rng.random(len(stayers)) < cal.TEAM_MOVE_RATE]
        n_teams = len(lk.TEAMS[service])
        spells["prev_team"][moving] = spells["team"][moving]
        shift = rng.integers(1, n_teams, len(moving))  # any other team of the service
        spells["team"][moving] = (spells["team"][moving] + shift) % n_teams
        spells["team_move_year"][moving] = year

        # 7. Agency starters bring agency FTE at R to the target agency rate.
        agency_target = direct_target * target["agency"] / (100 - target["agency"])
        agency_open = np.flatnonzero(
            (spells["end"] == NO_END) & (spells["service"] == s) & (spells["agency"] == 1)
        )
        agency_fte = fill_to_fte(rng, agency_target - spells["fte"][agency_open].sum(), 1)
        agency_start = uniform_days(rng, np.full(len(agency_fte), p0), r)
        agency_origin = draw(
            rng, lk.AGENCY_START_ORIGINS, lk.AGENCY_START_ORIGIN_WEIGHTS, len(agency_fte)
        )
        new_parts += [
            conversions,
            starters,
            new_people(rng, numbers, s, 1, agency_start, agency_origin),
        ]

    for part in new_parts:
        spells.append(part)
