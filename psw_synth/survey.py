"""The social work health check: codebook, invited headcounts and anonymous responses.

Answers come from one latent factor per respondent (how well things are going for them), so
that items hang together plausibly: someone who says their caseload is too high is also more
likely to say they are stressed. Reverse-scored items (agreeing is bad) load negatively.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from psw_synth import calibration as cal
from psw_synth import lookups as lk
from psw_synth.extracts import IdScheme, Year, iso_dates
from psw_synth.history import DAYS_PER_YEAR, draw

# Mean answer (1-5) before the latent factor: staff mostly agree with positive statements;
# the mean for reverse-scored items puts roughly half in agreement (stress, workload).
POSITIVE_ITEM_MEAN = 3.6
REVERSE_ITEM_MEAN = 3.1
FACTOR_LOADING = {"workload": 1.0, "stress": 1.0, "wellbeing": 0.9, "intention_to_stay": 0.9}
DEFAULT_LOADING = 0.6
ANSWER_NOISE_SD = 0.8
ITEM_BLANK_SHARE = 0.04
PLAIN_COMMENT_SHARE = 0.15
SURVEY_WEEKS = 6
SURVEY_OPENS_BEFORE_R = 210  # days: the survey runs in early spring


def health_check_items() -> pd.DataFrame:
    return pd.DataFrame(
        lk.HEALTH_CHECK_ITEMS, columns=["item_id", "standard", "theme", "text", "reverse_scored"]
    )


def invited(ros: pd.DataFrame) -> pd.DataFrame:
    """Everyone in post at R, agency included, counted once per service."""
    at_r = ros[ros["in_post_at_r"]]
    counts = at_r.groupby("service")["worker"].nunique()
    counts = counts.reindex(range(len(lk.SERVICES)), fill_value=0)
    return pd.DataFrame({"service": list(lk.SERVICES), "invited": counts.to_numpy()})


def responses(ros: pd.DataFrame, invited_counts: pd.DataFrame, yr: Year, ids: IdScheme,
              rng: np.random.Generator) -> pd.DataFrame:
    """`health_check_responses`: one row per anonymous respondent, wide by item."""
    at_r = ros[ros["in_post_at_r"]].drop_duplicates(["worker", "service"]).reset_index(drop=True)
    picks = []
    for s in range(len(lk.SERVICES)):
        pool = np.flatnonzero(at_r["service"].to_numpy() == s)
        invited_here = int(invited_counts["invited"].iloc[s])
        n = int(round(invited_here * cal.RESPONSE_RATE * rng.uniform(0.9, 1.1)))
        picks.append(rng.choice(pool, size=min(n, len(pool)), replace=False))
    who = at_r.iloc[np.concatenate(picks)].reset_index(drop=True)
    n = len(who)

    role = who["org_role"].to_numpy()
    role_group = np.select(
        [who["asye"].to_numpy() == 1, role <= 3, role == 4, role == 5],
        ["asye", "manager", "senior_practitioner", "social_worker"], default="other",
    ).astype(object)
    tenure = (yr.r - who["start"].to_numpy()) / DAYS_PER_YEAR
    tenure_band = np.select([tenure < 2, tenure < 5], ["<2", "2-5"], default="5+").astype(object)
    opens = yr.r - SURVEY_OPENS_BEFORE_R
    submitted = opens + rng.integers(0, SURVEY_WEEKS * 7, n)

    latent = rng.normal(0.0, 1.0, n)
    items = health_check_items()
    reverse = items["reverse_scored"].to_numpy() == 1
    loading = items["theme"].map(FACTOR_LOADING).fillna(DEFAULT_LOADING).to_numpy()
    mean = np.where(reverse, REVERSE_ITEM_MEAN, POSITIVE_ITEM_MEAN)
    direction = np.where(reverse, -1.0, 1.0)
    raw = mean[None, :] + latent[:, None] * (loading * direction)[None, :] + rng.normal(
        0.0, ANSWER_NOISE_SD, (n, len(items))
    )
    answers = pd.DataFrame(np.clip(np.round(raw), 1, 5).astype(np.int64), columns=items["item_id"])
    answers = answers.astype("Int64").mask(rng.random((n, len(items))) < ITEM_BLANK_SHARE)

    hours = np.clip(np.round((4.5 - 2.5 * latent + rng.normal(0.0, 2.5, n)) * 2) / 2, 0, 40)
    frame = pd.DataFrame({
        "response_id": ids.ids("R", rng.permutation(n)),
        "service": np.asarray(lk.SERVICES, dtype=object)[who["service"]],
        "role_group": role_group,
        "tenure_band": tenure_band,
        "submitted_date": iso_dates(submitted),
    })
    frame = pd.concat([frame, answers], axis=1)
    frame["hours_over_contract"] = pd.Series(hours, dtype="Float64").mask(rng.random(n) < 0.05)
    frame["comments"] = comments(ros, n, rng)
    return frame.sort_values("response_id", kind="stable", ignore_index=True)


def comments(ros: pd.DataFrame, n: int, rng: np.random.Generator) -> np.ndarray:
    """Mostly blank. A few name staff from the HR extract or give an email address or phone
    number, one runs over several lines and one mentions '£', so scrubbing and the
    Windows-1252 decoding both have work to do."""
    text = np.full(n, "", dtype=object)
    order = rng.permutation(n)
    n_identifying = min(len(lk.IDENTIFYING_COMMENTS), max(n - 2, 0))
    staff = ros.iloc[rng.integers(0, len(ros), n_identifying)]
    first = np.asarray(lk.FIRST_NAMES, dtype=object)[staff["first"]]
    surname = np.asarray(lk.SURNAMES, dtype=object)[staff["surname"]]
    names = first + " " + surname
    emails = pd.Series(first + "." + surname).map(email_part).to_numpy() + "@" + lk.EMAIL_DOMAIN
    phones = lk.PHONE_PREFIX + pd.Series(rng.integers(0, 1000, n_identifying)).map("{:03d}".format)
    filled = [
        template.format(name=name, email=email, phone=phone)
        for template, name, email, phone in zip(
            lk.IDENTIFYING_COMMENTS, names, emails, phones, strict=False
        )
    ]  # a handful of templates, not data rows
    text[order[:n_identifying]] = filled
    special = order[n_identifying:n_identifying + 2]
    text[special] = [lk.MULTILINE_COMMENT, lk.PLAIN_COMMENTS[3]][: len(special)]
    rest = order[n_identifying + 2:]
    chatty = rest[rng.random(len(rest)) < PLAIN_COMMENT_SHARE]
    text[chatty] = draw(rng, lk.PLAIN_COMMENTS, np.ones(len(lk.PLAIN_COMMENTS)), len(chatty))
    return text


def email_part(name: str) -> str:
    """Lower-case ASCII local part, as mail systems form it (Zoë Müller -> zoe.muller)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ascii_name.lower().replace(" ", "").replace("'", "")


def aggregate(responses_frame: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """`health_check_aggregate`: the responses as the LGA reports them to a council, one row per
    item and service with the count of each answer 1-5 and of blanks (no role group split)."""
    item_ids = [i for i in items["item_id"] if i in responses_frame]
    long = responses_frame.melt(id_vars=["service"], value_vars=item_ids, var_name="item_id",
                                value_name="answer")
    counts = (long.dropna(subset=["answer"]).astype({"answer": int})
              .groupby(["item_id", "service", "answer"]).size()
              .unstack("answer").reindex(columns=range(1, 6), fill_value=0).fillna(0)
              .astype(int))
    counts.columns = [f"answer_{v}" for v in counts.columns]
    respondents = responses_frame.groupby("service").size()
    out = counts.reset_index()
    out["blank"] = (out["service"].map(respondents) - counts.sum(axis=1).to_numpy()).astype(int)
    out.insert(2, "role_group", "")
    order = {item: n for n, item in enumerate(item_ids)}
    return out.sort_values(["service", "item_id"], key=lambda s: s.map(order) if
                           s.name == "item_id" else s).reset_index(drop=True)
