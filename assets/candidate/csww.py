"""The DfE children's social work workforce (CSWW) census return mapped onto the contract.

`CSWWWorker` records become children's `hr_workforce` rows and the vacancy block
(`LALevelVacancies`, `LALevel` from 2025) becomes the children's `hr_vacancies` row; the mapping
is docs/csww-mapping.md. Every census layout from 2021 to 2025 is read: the layout is detected
from the elements present, never from the year, and a rule about an element runs only on the
layouts that have it. The census's own rules apply (docs/design.md §3): a leaving date outside the
collection year is an error.

Row numbers: an XML file has no spreadsheet rows, so a problem's `row` is the worker's ordinal
(the first `CSWWWorker` is 1) and its `column_letter` names the XML element, e.g. RoleEndDate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from assets.candidate.contract import HR_VACANCIES, HR_WORKFORCE
from assets.candidate.readers import ReadResult, read_bytes, type_grid
from psw_core.config import AuthorityConfig
from psw_core.problems import Problem, UnusableInput

# contract column -> CSWWWorker element (None: not collected by the census, left blank).
# `gender` comes from GenderCurrent or Sex, whichever the layout has (GENDER_CODES).
WORKER_MAP = {
    "worker_id": "SWENo",
    "service": None,  # always "children"
    "team": None,
    "org_role": "OrgRole",
    "agency_worker": "AgencyWorker",
    "fte": "FTE",  # FTE30 for leavers: see read_csww
    "role_start_date": "RoleStartDate",
    "role_end_date": "RoleEndDate",
    "start_origin": "StartOrigin",
    "reason_leave": "ReasonLeave",
    "leaver_destination": "LeaverDestination",
    "person_birth_date": "PersonBirthDate",
    "gender": "GenderCurrent",  # "Sex" from 2024
    "ethnicity": "Ethnicity",
    "qual_level": "QualLevel",
    "step_up_grad": "StepUpGrad",
    "frontline_grad": "FrontlineGrad",
    "international_recruit": None,
    "apprentice": None,
    "asye": "CFKSSstatus",  # 1 (ASYE) in any of its values -> 1, other statuses -> 0
    "working_days_lost": "WorkingDaysLost",
    "stress_days_lost": None,
    "cases_held": "Cases30",  # caseload_fte when there is no caseload extract
}
VACANCY_MAP = {"vacancies_fte": "NumberOfVacancies", "agency_cover_fte": "NoAgencyFTE",
               "agency_cover_headcount": "NoAgencyHeadcount"}
# Both gender items onto the contract's one code (GenderCurrent's: 1 male, 2 female).
GENDER_CODES = {"GenderCurrent": {"0": "0", "1": "1", "2": "2", "9": "9"},
                "Sex": {"M": "1", "F": "2"}}
CFKSS_ASYE = "1"  # CFKSSstatus code list: 1 = ASYE

# CSWWWorker elements of each layout, in the XSD's order (docs/csww-mapping.md "Layouts").
_WORKER_2021 = ("AgencyWorker", "SWENo", "FTE", "PersonBirthDate", "GenderCurrent", "Ethnicity",
                "QualInst", "QualLevel", "StepUpGrad", "OrgRole", "RoleStartDate",
                "StartOrigin", "RoleEndDate", "LeaverDestination", "ReasonLeave", "FTE30",
                "Cases30", "WorkingDaysLost", "ContractWeeks", "FrontlineGrad", "Absat30Sept",
                "ReasonAbsence", "CFKSSstatus")
_WORKER_2024 = tuple("Sex" if e == "GenderCurrent" else e for e in _WORKER_2021)
PAY_ITEMS = ("BaseSalary", "RRPayments", "OtherPayments")  # read, never published
_WORKER_2025 = tuple(e for e in _WORKER_2024 if e not in ("QualInst", "CFKSSstatus")
                     ) + PAY_ITEMS
VACANCY_ITEMS = ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount")
PAY_POLICY_ITEMS = ("RecruitmentBonus", "RetentionBonus", "PerformanceAward", "CarAllowance",
                    "RelocationPackage", "RegionalWeighting", "CostSWE", "CostDBS",
                    "OtherAllowances")  # 2025 LALevel: read, never published


@dataclass(frozen=True)
class CensusLayout:
    """One census layout: its vacancy block and the CSWWWorker elements it defines."""

    name: str  # the collections that used it
    vacancy_block: str
    vacancy_items: tuple[str, ...]
    worker_elements: tuple[str, ...]

    @property
    def gender_element(self) -> str:
        return "Sex" if "Sex" in self.worker_elements else "GenderCurrent"

    def element_of(self, column: str) -> str | None:
        """The element this layout holds a contract column in (None: not collected)."""
        element = self.gender_element if column == "gender" else WORKER_MAP[column]
        return element if element in self.worker_elements else None


LAYOUTS = {
    "2021-2023": CensusLayout("2021-2023", "LALevelVacancies", VACANCY_ITEMS, _WORKER_2021),
    "2024": CensusLayout("2024", "LALevelVacancies", VACANCY_ITEMS, _WORKER_2024),
    "2025": CensusLayout("2025", "LALevel", VACANCY_ITEMS + PAY_POLICY_ITEMS, _WORKER_2025),
}
VACANCY_BLOCKS = ("LALevelVacancies", "LALevel")
# Items the census requires of directly employed workers (liia-tools validator): warnings here,
# because the report can do without them. Each applies only to the layouts that have it.
CENSUS_REQUIRED_NON_AGENCY = ("PersonBirthDate", "GenderCurrent", "Sex", "Ethnicity", "QualInst",
                              "StepUpGrad", "OrgRole", "StartOrigin", "FTE30",
                              "WorkingDaysLost", "FrontlineGrad")
NOT_USED = ("QualInst", "ContractWeeks", "Absat30Sept", "ReasonAbsence", *PAY_ITEMS)
MAX_WORKERS = 200_000  # far above any authority's return


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(elem) -> dict[str, str | tuple[str, ...]]:
    """Child element -> text; an element that repeats (CFKSSstatus may) keeps every value."""
    out: dict[str, str | tuple[str, ...]] = {}
    for child in elem:
        tag, text = _local(child.tag), (child.text or "").strip()
        if tag in out:
            before = out[tag]
            out[tag] = (*before, text) if isinstance(before, tuple) else (before, text)
        else:
            out[tag] = text
    return out


def detect_layout(vacancy_block: str | None, workers: list[dict], year: int | None,
                  file: str, problems: list[Problem]) -> CensusLayout:
    """The layout named by the elements present; the header year only breaks a tie.

    `LALevel` or a pay item means 2025, `Sex` 2024, `GenderCurrent` 2021-2023. Elements of
    another layout in the file are a warning (CSWW-007): they are not read.
    """
    seen = set().union(*(w.keys() for w in workers)) if workers else set()
    if vacancy_block == "LALevel" or seen & set(PAY_ITEMS):
        layout = LAYOUTS["2025"]
    elif "Sex" in seen:
        layout = LAYOUTS["2024"]
    elif "GenderCurrent" in seen:
        layout = LAYOUTS["2021-2023"]
    else:  # no gender at all: 2024 and 2021-2023 differ only there
        layout = LAYOUTS["2024" if year is not None and year >= 2024 else "2021-2023"]
    foreign = sorted(seen & set().union(*(lay.worker_elements for lay in LAYOUTS.values()))
                     - set(layout.worker_elements))
    if foreign:
        problems.append(Problem(
            file=file, rule="CSWW-007", severity="warning", column_letter=", ".join(foreign),
            why=f"The return is in the {layout.name} census layout, but some workers hold "
                f"elements of another layout ({', '.join(foreign)}); they are not read.",
            action="Export the return again in one year's layout."))
    return layout


def _unusable(file: str, rule: str, why: str, action: str) -> UnusableInput:
    return UnusableInput(Problem(file=file, rule=rule, severity="error", why=why, action=action))


def parse_csww(data: bytes, file: str) -> tuple[dict[str, str], str | None, dict[str, str],
                                                 list[dict[str, str | tuple[str, ...]]]]:
    """Header items, the vacancy block's name and items, one dict per CSWWWorker; parsed safely.
    """
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise _unusable(file, "CSWW-XML-UNSAFE",
                        "The XML declares a DTD or entities, which census files never need "
                        f"and which are refused for safety ({type(exc).__name__}).",
                        "Export the census file again from the case management system.") from exc
    except Exception as exc:  # ParseError and friends
        raise _unusable(file, "CSWW-XML", f"The file is not well-formed XML ({exc}).",
                        "Export the census file again; do not edit it by hand.") from exc
    if _local(root.tag) != "Message":
        raise _unusable(file, "CSWW-XML", f"The root element is <{_local(root.tag)}>, not "
                        "<Message>: this is not a CSWW census file.", "Check the file.")
    header: dict[str, str] = {}
    block: str | None = None
    vacancies: dict[str, str] = {}
    workers: list[dict[str, str | tuple[str, ...]]] = []
    for elem in root:
        tag = _local(elem.tag)
        if tag == "Header":
            for part in elem:
                header.update(_children(part))
        elif tag in VACANCY_BLOCKS:
            block, vacancies = tag, _children(elem)
        elif tag == "CSWWWorker":
            workers.append(_children(elem))
            if len(workers) > MAX_WORKERS:
                raise _unusable(file, "CSWW-XML", "The file holds implausibly many workers.",
                                "Check the file.")
    return header, block, vacancies, workers


def _collection_year(header: dict[str, str], file: str, reporting_year: int | None,
                     problems: list[Problem]) -> int | None:
    text = header.get("Year", "")
    year = int(text) if text.isdigit() and len(text) == 4 else None
    if header.get("Collection", "CSWW").upper() not in ("CSWW", "CSWWW"):
        problems.append(Problem(file=file, rule="CSWW-004", severity="error",
                                column_letter="Collection", value=header.get("Collection"),
                                why="The header does not name the CSWW collection.",
                                action="Check that this is the children's workforce census."))
    if year is None:
        problems.append(Problem(file=file, rule="CSWW-004", severity="error",
                                column_letter="Year", value=text or None,
                                why="Header/CollectionDetails/Year is missing or not a year.",
                                action="Export the census file again."))
    elif reporting_year is not None and year != reporting_year:
        problems.append(Problem(file=file, rule="CSWW-004", severity="error",
                                column_letter="Year", value=text,
                                why=f"The census is for {year}, but the folder is for "
                                    f"reporting year {reporting_year}.",
                                action="Put the file in the folder of its own year."))
    return year if reporting_year is None else reporting_year


def _item_problems(file: str, rule: str, severity: str, mask: np.ndarray, element: str,
                   column: str | None, why: str, action: str,
                   values: pd.Series | None = None) -> list[Problem]:
    """One problem per flagged worker (row = worker ordinal)."""
    idx = np.flatnonzero(mask)
    shown = values.to_numpy() if values is not None else None
    return [Problem(file=file, rule=rule, severity=severity, why=why, action=action,
                    row=int(i) + 1, column=column, column_letter=element,
                    value=None if shown is None else str(shown[i])) for i in idx]


def _dates(items: pd.DataFrame, element: str) -> pd.Series:
    """An element's ISO dates (the census format); absent or invalid -> NaT."""
    if element not in items:
        return pd.Series(pd.NaT, index=items.index, dtype="datetime64[ns]")
    return pd.to_datetime(items[element], format="%Y-%m-%d", errors="coerce")


def census_rules(items: pd.DataFrame, file: str, year: int | None,
                 layout: CensusLayout = LAYOUTS["2021-2023"]) -> list[Problem]:
    """The census's own rules on the raw items (one row per worker, element -> text or NA).

    A rule about an element runs only on a layout that has the element."""
    def present(element: str) -> np.ndarray:
        return items[element].notna().to_numpy() if element in items else np.zeros(
            len(items), dtype=bool)

    problems: list[Problem] = []
    leaver = present("RoleEndDate")
    for element, column in (("SWENo", "worker_id"), ("RoleStartDate", "role_start_date"),
                            ("AgencyWorker", "agency_worker")):
        problems += _item_problems(file, "CSWW-001", "error", ~present(element), element,
                                   column, f"The worker has no {element}, which the census "
                                   "requires of every worker.", f"Add the {element}.")
    for element, column in (("ReasonLeave", "reason_leave"),
                            ("LeaverDestination", "leaver_destination"),
                            ("FTE30", "fte")):
        problems += _item_problems(file, "CSWW-001", "error", leaver & ~present(element),
                                   element, column, f"The worker has a RoleEndDate but no "
                                   f"{element}, which a leaver must have.",
                                   f"Add the leaver's {element}.")
    problems += _item_problems(file, "CSWW-001", "error", ~leaver & ~present("FTE"), "FTE",
                               "fte", "The worker is in post but has no FTE.", "Add the FTE.")
    if year is not None:
        start, end = pd.Timestamp(date(year - 1, 10, 1)), pd.Timestamp(date(year, 9, 30))
        ends = _dates(items, "RoleEndDate")
        if "RoleEndDate" in items:
            outside = (ends.notna() & ((ends < start) | (ends > end))).to_numpy(bool)
            problems += _item_problems(
                file, "CSWW-002", "error", outside, "RoleEndDate", "role_end_date",
                f"The census allows a RoleEndDate only within the collection year "
                f"(1 October {year - 1} to 30 September {year}).",
                "Correct the date, or leave out a worker who left in another year.",
                items["RoleEndDate"])
        starts = _dates(items, "RoleStartDate")
        starter = ((starts >= start) & (starts <= end)).fillna(False).to_numpy(bool)
        problems += _item_problems(
            file, "CSWW-003", "error", starter & ~present("StartOrigin"), "StartOrigin",
            "start_origin", "The worker started in the year but has no StartOrigin.",
            "Add the starter's StartOrigin.")
    agency = (items["AgencyWorker"] == "1").to_numpy() if "AgencyWorker" in items else (
        np.zeros(len(items), dtype=bool))
    for element in CENSUS_REQUIRED_NON_AGENCY:
        if element == "StartOrigin" or element not in layout.worker_elements:
            continue  # only starters need StartOrigin (CSWW-003)
        column = next((c for c in WORKER_MAP if layout.element_of(c) == element), None)
        problems += _item_problems(file, "CSWW-005", "warning", ~agency & ~present(element),
                                   element, column, f"The census requires {element} for a "
                                   "directly employed worker.", f"Add the {element}.")
    problems += _item_problems(
        file, "CSWW-006", "warning", ~leaver & (present("ReasonLeave")
                                                | present("LeaverDestination")),
        "ReasonLeave", "reason_leave",
        "The worker has no RoleEndDate but has a leaving reason or destination.",
        "Remove them, or add the RoleEndDate if the worker left.")
    return problems


def _asye(items: pd.DataFrame, layout: CensusLayout) -> pd.Series:
    """1 when any CFKSSstatus value is ASYE, 0 when it holds others, blank when absent."""
    if "CFKSSstatus" not in layout.worker_elements or "CFKSSstatus" not in items:
        return pd.Series(pd.NA, index=items.index, dtype="string")
    values = items["CFKSSstatus"].explode()  # a repeated element is a tuple of its values
    any_asye = values.eq(CFKSS_ASYE).groupby(level=0).any().to_numpy(bool)
    held = values.notna().groupby(level=0).any()
    return pd.Series(np.where(any_asye, "1", "0"), index=items.index,
                     dtype="string").where(held)


def _gender(item: pd.Series, element: str) -> pd.Series:
    """GenderCurrent or Sex as the contract's one code; an unknown value is kept to be named."""
    mapped = item.str.strip().str.upper().map(GENDER_CODES[element]).astype("string")
    return mapped.fillna(item)


def read_csww(path: Path, config: AuthorityConfig | None,
              reporting_year: int | None = None) -> dict[str, ReadResult]:
    """hr_workforce and hr_vacancies ReadResults (children's service) from a census return."""
    path = Path(path)
    data, sha256 = read_bytes(path)
    file = path.name
    header, block, vacancies, workers = parse_csww(data, file)
    problems: list[Problem] = []
    year = _collection_year(header, file, reporting_year, problems)
    layout = detect_layout(block, workers, year, file, problems)

    items = pd.DataFrame.from_records(workers) if workers else pd.DataFrame()
    items = items.replace("", np.nan).astype(object).where(lambda f: f.notna(), None)
    problems += census_rules(items, file, year, layout)

    def item(element: str | None) -> pd.Series:
        if element and element in items:
            return items[element].astype("string")
        return pd.Series(pd.NA, index=items.index, dtype="string")

    # The census FTE of a leaver is 0; FTE30 is used as the FTE at leaving (docs/csww-mapping.md).
    leaver = item("RoleEndDate").notna()
    columns = {col: item(layout.element_of(col)) for col in WORKER_MAP}
    columns["service"] = pd.Series("children", index=items.index, dtype="string")
    columns["fte"] = item("FTE").where(~leaver, item("FTE30"))
    columns["gender"] = _gender(columns["gender"], layout.gender_element)
    columns["asye"] = _asye(items, layout)
    header_names = list(columns)
    body = pd.DataFrame({i: columns[c] for i, c in enumerate(header_names)}).astype(object)
    workforce = type_grid(header_names, body.where(body.notna(), ""), HR_WORKFORCE, file,
                          config=None, first_row=1, problems=problems)
    # type_grid named columns by position in our own frame: name them by element instead
    element_of = {c: (layout.element_of(c) or "") for c in header_names}
    element_of["fte"] = "FTE/FTE30"
    element_of["service"] = "CSWWWorker"  # every census worker is children's
    workforce.problems = [_element_named(p, element_of) for p in workforce.problems
                          if p.rule != "PARSE-ABSENT-COLUMN"]
    workforce.column_letters = {c: e for c, e in element_of.items() if e}
    unused = sorted({k for w in workers for k in w} & set(NOT_USED))
    workforce.notes.append(
        f"{file}: {len(workers)} CSWWWorker records read as children's hr_workforce "
        f"({layout.name} census layout); census items not used: {', '.join(unused) or 'none'}"
        + (" (pay items are read but never stored or published)." if set(unused) & set(PAY_ITEMS)
           else "."))

    vac_names = ["service", *VACANCY_MAP]
    vac_values = [["children", *[vacancies.get(el, "") for el in VACANCY_MAP.values()]]] if (
        vacancies) else []
    vac_body = pd.DataFrame(vac_values, columns=range(len(vac_names)))
    vac = type_grid(vac_names, vac_body, HR_VACANCIES, file, config=None, first_row=1)
    vac_letters = {**VACANCY_MAP, "service": block or layout.vacancy_block}
    vac.problems = [_element_named(p, vac_letters) for p in vac.problems
                    if p.rule != "PARSE-ABSENT-COLUMN"]
    if not vacancies:
        vac.problems = [Problem(file=file, rule="CSWW-001", severity="error",
                                column_letter=layout.vacancy_block,
                                why=f"The census file has no {layout.vacancy_block} element "
                                    "(the vacancy items).",
                                action="Export the census file again with its vacancy items.")]
    vac.column_letters = vac_letters
    for result in (workforce, vac):
        result.path, result.sha256, result.year = path, sha256, year
    return {"hr_workforce": workforce, "hr_vacancies": vac}


def _element_named(problem: Problem, element_of: dict[str, str]) -> Problem:
    """Replace a spreadsheet letter with the XML element the value came from."""
    if problem.column is None or problem.column not in element_of or problem.rule.startswith(
            "CSWW-"):  # census rules name their element already
        return problem
    return Problem(**{**problem.to_dict(), "column_letter": element_of[problem.column] or None})
