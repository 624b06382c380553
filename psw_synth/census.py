"""Write a children's workforce as a DfE CSWW census return, in any layout from 2021 to 2025.

The inverse of assets/candidate/csww.py: contract columns go to the layout's elements
(docs/csww-mapping.md), so tests and `psw synth` build census returns from code. A column named
by a census element (e.g. `Cases30`, or `CFKSSstatus` holding a list for a repeated element)
is written as given, after the mapped ones.
"""

from __future__ import annotations

import pandas as pd

from assets.candidate.csww import GENDER_CODES, LAYOUTS, VACANCY_MAP, WORKER_MAP

SEX_OF_GENDER = {code: sex for sex, code in GENDER_CODES["Sex"].items()}
OTHER_CFKSS = "2"  # a non-ASYE status (frontline practitioner) for asye = 0


def _text(values: pd.Series) -> pd.Series:
    """Census text of a column: ISO dates, 1 not 1.0; blank stays NA."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").astype("string")
    if pd.api.types.is_float_dtype(values):
        whole = values.notna() & (values % 1 == 0)
        text = values.astype("string")
        return text.where(~whole, values.round().astype("Int64").astype("string"))
    return values.astype("string").replace("", pd.NA)


def worker_elements(workers: pd.DataFrame, layout: str) -> dict[str, pd.Series]:
    """Element -> text per worker (NA: element left out) for one layout."""
    lay = LAYOUTS[layout]
    out: dict[str, pd.Series] = {}
    for column in WORKER_MAP:
        element = lay.element_of(column)
        if element and column in workers:
            out[element] = _text(workers[column])
    if "gender" in workers and lay.gender_element == "Sex":
        out["Sex"] = out["Sex"].map(SEX_OF_GENDER).astype("string")
    if "fte" in workers:  # a leaver's FTE is 0 and its FTE at leaving goes in FTE30
        leaver = workers.get("role_end_date", pd.Series(pd.NA, index=workers.index)).notna()
        fte = _text(workers["fte"])
        out["FTE"] = fte.where(~leaver, "0")
        out["FTE30"] = fte
    if "asye" in workers and "CFKSSstatus" in lay.worker_elements:
        asye = _text(workers["asye"])
        out["CFKSSstatus"] = asye.map({"1": "1", "0": OTHER_CFKSS}).astype("string")
    for element in lay.worker_elements:
        if element in workers:
            out[element] = workers[element] if workers[element].dtype == object else _text(
                workers[element])
    return out


def _tags(element: str, values: pd.Series) -> pd.Series:
    """`<E>v</E>` per worker ('' when blank); a list value repeats the element."""
    each = values.explode()
    tagged = ("<" + element + ">" + each.astype("string") + "</" + element + ">").fillna("")
    return tagged.groupby(level=0).sum().reindex(values.index, fill_value="")


def census_xml(workers: pd.DataFrame, vacancies: dict, year: int, layout: str,
               lea: str = "999") -> bytes:
    """A census return (UTF-8 bytes) of `workers` (contract columns) in `layout`.

    `vacancies` maps contract names (vacancies_fte, ...) or vacancy elements to values; the
    2025 pay policy items, when absent, are written as 0.
    """
    lay = LAYOUTS[layout]
    workers = workers.reset_index(drop=True)
    elements = worker_elements(workers, layout)
    body = pd.Series("", index=workers.index, dtype="string")
    for element in lay.worker_elements:
        if element in elements:
            body = body + _tags(element, elements[element])
    records = ("<CSWWWorker>" + body + "</CSWWWorker>\n").str.cat(sep="")
    block_items = {VACANCY_MAP.get(k, k): v for k, v in vacancies.items()}
    block = "".join(f"<{e}>{block_items.get(e, 0)}</{e}>" for e in lay.vacancy_items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<Message><Header><CollectionDetails>'
        f"<Collection>CSWW</Collection><Year>{year}</Year>"
        f"<ReferenceDate>{year}-09-30</ReferenceDate></CollectionDetails><Source>"
        f"<SourceLevel>L</SourceLevel><LEA>{lea}</LEA></Source></Header>\n"
        f"<{lay.vacancy_block}>{block}</{lay.vacancy_block}>\n{records}</Message>\n"
    ).encode()


def census_year(frames: dict[str, pd.DataFrame], year: int, layout: str, period_start: str,
                reference: str) -> tuple[bytes, dict[str, pd.DataFrame]]:
    """One generated year as a council holds it: the children's workforce and vacancies as a
    census return in `layout`, the adults' left in hr_workforce / hr_vacancies.

    The census holds workers in post at the reference date and leavers in the year: a leaving
    date after it is left out (still in post), spells outside the year are dropped. Cases30 is
    each worker's caseload allocations open at the reference date.
    """
    hr, vac = frames["hr_workforce"], frames["hr_vacancies"]
    children = hr[hr["service"] == "children"].replace("", pd.NA)
    after = children["role_end_date"].fillna("") > reference
    children.loc[after, ["role_end_date", "reason_leave", "leaver_destination"]] = pd.NA
    ended_before = children["role_end_date"].fillna("9999") < period_start
    children = children[~ended_before & (children["role_start_date"] <= reference)]
    for column in ("role_start_date", "role_end_date", "person_birth_date"):
        children[column] = pd.to_datetime(children[column])
    if "QualInst" in LAYOUTS[layout].worker_elements:
        children["QualInst"] = "Not recorded"
    cases = frames.get("caseload")
    if cases is not None and not cases.empty:
        ended = cases["deallocated_date"].replace("", pd.NA).fillna("9999") <= reference
        open_at_r = cases[(cases["allocated_date"] <= reference) & ~ended]
        held = open_at_r.groupby("worker_id").size()
        children["Cases30"] = children["worker_id"].map(held).fillna(0).astype("Int64")
        children.loc[children["role_end_date"].notna(), "Cases30"] = pd.NA
    child_vac = vac[vac["service"] == "children"]
    totals = child_vac[["vacancies_fte", "agency_cover_fte", "agency_cover_headcount"]].sum()
    vacancies = {"vacancies_fte": round(float(totals["vacancies_fte"]), 2),
                 "agency_cover_fte": round(float(totals["agency_cover_fte"]), 2),
                 "agency_cover_headcount": int(totals["agency_cover_headcount"])}
    rest = {**frames, "hr_workforce": hr[hr["service"] != "children"].reset_index(drop=True),
            "hr_vacancies": vac[vac["service"] != "children"].reset_index(drop=True)}
    return census_xml(children, vacancies, year, layout), rest
