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
