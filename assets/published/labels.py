"""Plain-English labels for the published tables' codes and column names (GSS "Releasing
statistics in spreadsheets": headers in words with units, code labels not codes).

- CSVs keep their stable column names and gain a `<column>_label` column beside each code
  column (`with_label_columns`).
- The ODS workbook shows labels instead of codes and headers in words with units
  (`for_spreadsheet`).

The code lists are the CSWW census codes (DfE, Children's social work workforce census guide)
and the pipeline's own category names. The report shows the same labels
(assets/report/support/tables.py); a test keeps the two in step.
"""

from __future__ import annotations

import re

import pandas as pd

SERVICE = {"children": "Children's services", "adults": "Adults' services", "all": "Both services"}
REASON_LEAVE = {
    "1": "Resignation", "2": "Voluntary redundancy", "3": "Compulsory redundancy",
    "4": "Dismissed", "5": "Retired", "6": "Deceased",
    "7": "Moved to another social work role in the council", "8": "Other", "9": "Not known",
    "10": "Not yet collected",
}  # fmt: skip
LEAVER_DESTINATION = {
    "1": "Social work role in another English council", "2": "Social work role outside England",
    "3": "Agency or consultancy social work", "4": "Other social work role (not a council)",
    "5": "Other social care role", "6": "Left social care, no employment or career break",
    "7": "Other", "8": "Not known", "9": "Not yet collected",
}  # fmt: skip
START_ORIGIN = {
    "1": "Newly qualified", "2": "Social work role in another English council",
    "3": "Social work role outside England", "4": "Agency or consultancy social work",
    "5": "Other social work role (not a council)", "6": "Other social care role",
    "7": "From outside social care, or after a break", "8": "Other", "9": "Not known",
    "10": "Not yet collected",
}  # fmt: skip
ROUTES = {
    "asye": "Newly qualified (ASYE)", "newly_qualified": "Newly qualified (ASYE)",
    "international": "International recruitment", "international_recruit": "International recruitment",
    "apprenticeship": "Social work degree apprenticeship", "apprentice": "Social work degree apprenticeship",
    "step_up": "Step Up to Social Work", "frontline": "Frontline",
    "agency_conversion": "Agency worker who became permanent",
}  # fmt: skip
GRADES = {"outstanding": "Outstanding", "good": "Good",
          "requires_improvement": "Requires improvement", "inadequate": "Inadequate"}  # fmt: skip
LEARNING = {
    "mandatory": "Mandatory training", "cpd": "Continuing professional development",
    "asye": "ASYE programme", "practice_educator": "Practice educator training",
    "leadership": "Leadership and management", "apprenticeship": "Apprenticeship study",
    "qualification": "Post-qualifying awards", "other": "Other",
}  # fmt: skip
STANDARDS = {
    "1": "1. Strong and clear social work framework", "2": "2. Effective workforce planning",
    "3": "3. Safe workloads and case allocation", "4": "4. Wellbeing", "5": "5. Supervision",
    "6": "6. Continuing professional development", "7": "7. Professional registration",
    "8": "8. Strategic partnerships", "wellbeing": "Staff wellbeing (local questions)",
}  # fmt: skip
ROLE_GROUPS = {"social_worker": "Social workers", "senior_practitioner": "Senior practitioners",
               "manager": "Managers", "asye": "ASYE social workers", "other": "Other roles"}  # fmt: skip
ETHNICITY = {
    "WBRI": "White British", "WIRI": "White Irish", "WIRT": "Traveller of Irish heritage",
    "WROM": "Gypsy or Roma", "WOTH": "Any other White background",
    "MWBC": "White and Black Caribbean", "MWBA": "White and Black African",
    "MWAS": "White and Asian", "MOTH": "Any other mixed background",
    "AIND": "Indian", "APKN": "Pakistani", "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean", "BAFR": "Black African", "BOTH": "Any other Black background",
    "CHNE": "Chinese", "OOTH": "Any other ethnic group",
    "REFU": "Refused", "NOBT": "Information not yet obtained",
    "not recorded": "Not recorded",
}  # fmt: skip
GENDER = {"1": "Male", "2": "Female", "0": "Not known", "9": "Not specified",
          "not recorded": "Not recorded"}  # fmt: skip
AGE_BAND = {"<30": "Under 30", "30-39": "30 to 39", "40-49": "40 to 49", "50-59": "50 to 59",
            "60+": "60 and over", "not recorded": "Not recorded"}  # fmt: skip
POPULATIONS = {"in_post": "Staff in post", "starters": "Starters", "leavers": "Leavers"}
CHARACTERISTICS = {"ethnicity": "Ethnicity", "gender": "Gender", "age_band": "Age band",
                   "disability": "Disability"}  # fmt: skip
GROUP_LABELS = {"ethnicity": ETHNICITY, "gender": GENDER, "age_band": AGE_BAND}
CODE_LABELS: dict[str, dict[str, str]] = {
    "service": SERVICE, "reason": REASON_LEAVE, "destination": LEAVER_DESTINATION,
    "origin": START_ORIGIN, "route": ROUTES, "grade": GRADES, "category": LEARNING,
    "standard": STANDARDS, "role_group": ROLE_GROUPS,
}  # fmt: skip
ACRONYMS = {"fte": "FTE", "asye": "ASYE", "lga": "LGA", "cpd": "CPD", "csww": "CSWW"}

# Spreadsheet headers: words, with the unit where the column has one.
HEADERS = {
    "reporting_year": "Reporting year", "service": "Service", "measure": "Measure",
    "value": "Value (unit in the Unit column)", "unit": "Unit",
    "ci_lower": "Lower limit of 95% confidence interval",
    "ci_upper": "Upper limit of 95% confidence interval",
    "national_value": "England figure, same definition (same unit)",
    "national_release": "Source of the England figure",
    "previous_year": "Previous reporting year", "previous_value": "Previous year's value",
    "change": "Change since the previous year (same unit; percentage points for rates)",
    "method": "How the change was judged", "direction": "Change judged as",
    "count": "Number", "percent": "Percentage (%)", "month_end": "Month end",
    "characteristic": "Population and characteristic", "group": "Group",
    "reason": "Reason for leaving", "destination": "Destination", "origin": "Came from",
    "route": "Recruitment route", "grade": "Audit grade", "category": "Learning category",
    "standard": "LGA employer standard", "role_group": "Role group",
}  # fmt: skip
# Where a table's count or value has one meaning, say it (with its unit) in the header.
TABLE_HEADERS = {
    "leavers_by_reason": {"count": "Leavers (people)", "percent": "Share of leavers (%)"},
    "leavers_by_destination": {"count": "Leavers (people)", "percent": "Share of leavers (%)"},
    "starters_by_origin": {"count": "Starters (people)", "percent": "Share of starters (%)"},
    "starters_by_route": {"count": "Starters (people)"},
    "audit_grades": {"count": "Audits (number)", "percent": "Share of audits (%)"},
    "equality_diversity": {"count": "People", "percent": "Share of the population (%)"},
    "learning_hours_by_category": {"count": "Learners (people)", "value": "Learning hours"},
    "health_check_by_standard": {"value": "Score (0 to 100)"},
    "health_check_by_role": {"count": "Respondents (people)", "value": "Score (0 to 100)"},
    "rolling_turnover": {"value": "Rolling 12-month FTE turnover rate (%)"},
}


def humanise(code: str) -> str:
    words = [ACRONYMS.get(w, w) for w in str(code).replace("-", " ").split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def label_of(column: str, code: object, characteristic: str = "") -> str:
    """The words for one code: 'ABAN' -> 'Bangladeshi', reason '1' -> 'Resignation'."""
    key = str(code).strip()
    if key.endswith(".0"):
        key = key[:-2]
    if column == "group":
        for name, labels in GROUP_LABELS.items():
            if str(characteristic).endswith(name):
                return labels.get(key, key)
        return key
    if column == "characteristic":
        for prefix, population in POPULATIONS.items():
            if key.startswith(prefix + "_"):
                rest = key.removeprefix(prefix + "_")
                return f"{population}: {CHARACTERISTICS.get(rest, humanise(rest)).lower()}"
        return humanise(key)
    if column == "standard" and key.startswith("standard_"):
        key = key.removeprefix("standard_")
    labels = CODE_LABELS.get(column)
    if labels is not None:
        return labels.get(key, humanise(key))
    return humanise(key)


LABELLED = ("service", "measure", "reason", "destination", "origin", "route", "grade",
            "category", "standard", "role_group", "characteristic", "group")


def _labels(table: pd.DataFrame, column: str) -> pd.Series:
    if column == "group":  # a group's words depend on its characteristic (gender, ethnicity…)
        characteristic = (table["characteristic"] if "characteristic" in table
                          else pd.Series("", index=table.index))
        pairs = pd.Series(list(zip(table["group"], characteristic, strict=True)),
                          index=table.index, dtype=object)
        return pairs.map(lambda pair: label_of("group", pair[0], pair[1]))
    return table[column].map(lambda code: label_of(column, code))


def whole_years(table: pd.DataFrame) -> pd.DataFrame:
    """Year columns as whole numbers (2024, not 2024.0), missing years left blank."""
    table = table.copy()
    for column in table.columns:
        if re.search(r"(^|_)year$", str(column)) and pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].astype("Int64").astype(object).where(
                table[column].notna(), "")
    return table


def with_label_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The CSV form: every code column keeps its name and gains `<column>_label` beside it."""
    table = whole_years(table)
    out = table.copy()
    for column in [c for c in LABELLED if c in table.columns]:
        position = list(out.columns).index(column) + 1
        out.insert(position, f"{column}_label", _labels(table, column))
    return out


def for_spreadsheet(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """The ODS form: labels in place of codes, headers in words with units."""
    table = whole_years(table)
    out = table.copy()
    for column in [c for c in LABELLED if c in table.columns]:
        out[column] = _labels(table, column)
    headers = {**HEADERS, **TABLE_HEADERS.get(name, {})}
    return out.rename(columns={c: headers.get(c, humanise(c)) for c in out.columns})
