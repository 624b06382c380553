"""One employment history across the years: people persist, leavers leave, movers move."""

from __future__ import annotations

import pandas as pd

from psw_synth.generator import SAMPLE_CENSUS


def test_people_persist_between_years(sample_frames):
    hr23, hr24 = sample_frames[2023]["hr_workforce"], sample_frames[2024]["hr_workforce"]
    in_post_23 = hr23[hr23["role_end_date"].isna() | (hr23["role_end_date"] > "2023-09-30")]
    carried = hr24.merge(in_post_23, on=["worker_id", "service", "role_start_date"])
    # Everyone in post at R 2023 appears again in 2024 with the same spell.
    assert len(carried) == len(in_post_23)
    assert (carried["first_name_x"] == carried["first_name_y"]).all()


def test_leavers_do_not_come_back_to_the_same_spell(sample_frames):
    hr23, hr25 = sample_frames[2023]["hr_workforce"], sample_frames[2025]["hr_workforce"]
    left = hr23[hr23["role_end_date"].between("2022-10-01", "2023-09-30")]
    again = hr25.merge(left, on=["worker_id", "service", "role_start_date"])
    assert len(left) > 20 and again.empty


def test_moves_between_services(sample_frames):
    moves = 0
    for year, frames in sample_frames.items():
        if year in SAMPLE_CENSUS:  # the children's half of a move is in the census return
            continue
        hr = frames["hr_workforce"]
        ended = hr[hr["reason_leave"] == 7]
        pairs = ended.merge(hr, on="worker_id", suffixes=("", "_new"))
        pairs = pairs[pairs["service_new"] != pairs["service"]]
        gap = (pairs["role_start_date_new"] - pairs["role_end_date"]).dt.days
        assert gap.between(1, 7).all(), year
        assert set(ended["worker_id"]) <= set(pairs["worker_id"]), year
        moves += len(pairs)
    assert moves >= 3


def test_team_moves_keep_the_spell(sample_frames):
    key = ["worker_id", "service", "role_start_date"]
    hr23, hr25 = sample_frames[2023]["hr_workforce"], sample_frames[2025]["hr_workforce"]
    same = hr23.merge(hr25, on=key, suffixes=("_23", "_25"))
    moved = same[same["team_23"] != same["team_25"]]
    assert len(moved) >= 3
    assert (hr25.groupby(key).size() == 1).all()  # still one row per spell


def test_agency_conversions_start_a_direct_spell(sample_frames):
    # The latest year's row of each spell carries its end date.
    hr = pd.concat([f["hr_workforce"] for f in sample_frames.values()]).drop_duplicates(
        ["worker_id", "service", "role_start_date"], keep="last"
    )
    converted = hr[(hr["start_origin"] == 4) & (hr["agency_worker"] == 0)]
    earlier = converted.merge(hr[hr["agency_worker"] == 1], on="worker_id")
    assert len(earlier) >= 1
    assert ((earlier["role_start_date_x"] - earlier["role_end_date_y"]).dt.days == 1).all()
