"""The extract contract v1 (docs/design.md §3) as data.

Readers type columns from these specs; Great Expectations suites and docs/data-contract.md
describe the same rules. `required` means the column must be present in the file's header
(a missing one is an error, rule PARSE-MISSING-COLUMN); `not_null` means every row must hold a
value (checked by the suites, not the reader). `allowed`, `minimum` and `maximum` are value
rules, also checked by the suites.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column types of the contract and how each lands in DuckDB (docs/interfaces.md).
COLUMN_TYPES = ("text", "int", "decimal", "date", "code")
DUCKDB_TYPES = {"text": "VARCHAR", "code": "VARCHAR", "int": "INTEGER", "decimal": "DOUBLE",
                "date": "DATE"}
# pandas dtypes of a typed ReadResult frame, per contract type.
PANDAS_DTYPES = {"text": "string", "code": "string", "int": "Int64", "decimal": "Float64",
                 "date": "datetime64[ns]"}

# Direct identifiers: never loaded into any frame that leaves the reader, in any extract.
# Names are read into memory only to build the scrubbing list (docs/design.md §2).
NEVER_LOADED = ("name", "first_name", "surname", "email", "ni_number", "swe_no", "address",
                "postcode")
NAME_COLUMNS = ("name", "first_name", "surname")
# hr_workforce's birth date is read, turned into an age band at ingest, then dropped.
BIRTH_DATE_COLUMN = "person_birth_date"
AGE_BANDS = ("<30", "30-39", "40-49", "50-59", "60+")

# Id columns pseudonymised at ingest, with their HMAC kind (docs/design.md §2).
# Record ids from the case management system are pseudonymised too: like case ids, they could
# be looked up in the source system (docs/design.md §2 names worker, case and response ids).
ID_KINDS = {"worker_id": "worker", "case_id": "case", "response_id": "response",
            "assessment_id": "assessment", "audit_id": "audit"}

SERVICES = ("children", "adults")
CBDS_ETHNICITY = ("WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
                  "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str  # one of COLUMN_TYPES
    required: bool = False  # must be present in the header
    not_null: bool = False  # every row must hold a value
    allowed: tuple | None = None  # allowed values (codes as str, ints as int)
    minimum: float | None = None
    maximum: float | None = None
    min_exclusive: bool = False  # e.g. fte > 0
    why: str = ""  # one plain sentence for docs and suites
    # an optional column most files will not have (cases_held): no PARSE-ABSENT-COLUMN warning
    warn_if_absent: bool = True

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]

    @property
    def pandas_dtype(self) -> str:
        return PANDAS_DTYPES[self.type]


@dataclass(frozen=True)
class ExtractSpec:
    name: str
    grain: str  # "one row per ..."
    columns: tuple[ColumnSpec, ...]
    # health_check_responses: one extra column per survey item, named by its item_id
    item_columns: bool = False
    item_spec: ColumnSpec | None = None
    section: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    # False for supporting tables (the survey codebook, the invited counts): their rows alone do
    # not make a reporting year (staging.models.RAW_TABLES_WITH_YEARS).
    defines_year: bool = True
    # (rule, why, action) of the cross-extract rule "every worker_id is in hr_workforce", for an
    # extract whose rows name a worker (assets/candidate/cross_extract.py).
    worker_check: tuple[str, str, str] | None = None
    # Another extract that supplies the same facts (the survey as respondent rows or as the
    # LGA's aggregate report): when either is there, the other is not reported missing.
    alternative_to: str | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def id_columns(self) -> dict[str, str]:
        """Columns to pseudonymise, with their kind."""
        return {c.name: ID_KINDS[c.name] for c in self.columns if c.name in ID_KINDS}

    def column(self, name: str) -> ColumnSpec:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")


def _c(name: str, type_: str, **kw) -> ColumnSpec:
    return ColumnSpec(name=name, type=type_, **kw)


def _flag(name: str, **kw) -> ColumnSpec:
    return ColumnSpec(name=name, type="int", allowed=(0, 1), **kw)


_SERVICE = _c("service", "code", required=True, not_null=True, allowed=SERVICES)
_WORKER = _c("worker_id", "text", required=True, not_null=True)
_CASE = _c("case_id", "text", required=True, not_null=True)

HR_WORKFORCE = ExtractSpec(
    name="hr_workforce",
    grain="one row per employment spell of a social worker in a service",
    section="workforce",
    columns=(
        _WORKER,
        _SERVICE,
        _c("team", "text"),
        _c("org_role", "int", allowed=(1, 2, 3, 4, 5, 6)),
        _flag("agency_worker", required=True, not_null=True),
        _c("fte", "decimal", required=True, minimum=0, maximum=1, min_exclusive=True),
        _c("role_start_date", "date", required=True, not_null=True),
        _c("role_end_date", "date", required=True),
        _c("start_origin", "int", allowed=tuple(range(1, 11))),
        _c("reason_leave", "int", allowed=tuple(range(1, 11))),
        _c("leaver_destination", "int", allowed=tuple(range(1, 10))),
        _c(BIRTH_DATE_COLUMN, "date"),
        _c("gender", "int", allowed=(0, 1, 2, 9)),
        _c("ethnicity", "code", allowed=CBDS_ETHNICITY),
        _c("qual_level", "int", allowed=(1, 2, 3)),
        _flag("step_up_grad"),
        _flag("frontline_grad"),
        _flag("international_recruit"),
        _flag("apprentice"),
        _flag("asye"),
        _c("working_days_lost", "decimal", minimum=0),
        _c("stress_days_lost", "decimal", minimum=0),
        # Cases held at the reference date (the census's Cases30): caseload_fte comes from it
        # when the year has no caseload extract (docs/measures.md).
        _c("cases_held", "int", minimum=0, warn_if_absent=False),
    ),
)

HR_VACANCIES = ExtractSpec(
    name="hr_vacancies",
    grain="one row per service, or per service and team, at the reference date",
    section="workforce",
    columns=(
        _SERVICE,
        _c("team", "text"),
        _c("vacancies_fte", "decimal", required=True, not_null=True, minimum=0),
        _c("agency_cover_fte", "decimal", required=True, minimum=0),
        _c("agency_cover_headcount", "int", required=True, minimum=0),
    ),
)

LEARNING = ExtractSpec(
    name="learning",
    worker_check=(
        "XEX-004",
        "A learning record names a worker who is not in the HR workforce extract, so its hours "
        "cannot count towards hours per FTE.",
        "Check the worker_id matches the HR staff reference, or add the worker to hr_workforce.",
    ),
    grain="one row per completed learning activity",
    section="learning",
    columns=(
        _WORKER,
        _c("activity", "text"),
        _c("category", "code", required=True, not_null=True,
           allowed=("mandatory", "cpd", "asye", "practice_educator", "leadership",
                    "apprenticeship", "qualification", "other")),
        _c("hours", "decimal", required=True, not_null=True, minimum=0, maximum=200,
           min_exclusive=True),
        _c("completed_date", "date", required=True, not_null=True),
    ),
)

SUPERVISION = ExtractSpec(
    name="supervision",
    worker_check=(
        "XEX-005",
        "A supervision session names a worker who is not in the HR workforce extract, so it "
        "cannot count towards supervision compliance.",
        "Check the worker_id matches the HR staff reference, or add the worker to hr_workforce.",
    ),
    grain="one row per supervision session held",
    section="practice",
    columns=(
        _WORKER,
        _c("session_date", "date", required=True, not_null=True),
        _c("duration_minutes", "decimal", minimum=0, min_exclusive=True),
    ),
)

HEALTH_CHECK_RESPONSES = ExtractSpec(
    name="health_check_responses",
    grain="one row per anonymous respondent",
    section="health_check",
    item_columns=True,
    item_spec=_c("answer", "int", allowed=(1, 2, 3, 4, 5)),
    columns=(
        _c("response_id", "text", required=True, not_null=True),
        _SERVICE,
        _c("role_group", "code",
           allowed=("social_worker", "senior_practitioner", "manager", "asye", "other")),
        _c("tenure_band", "code", allowed=("<2", "2-5", "5+")),
        _c("submitted_date", "date"),
        _c("hours_over_contract", "decimal", minimum=0, maximum=40),
        _c("comments", "text"),
    ),
)

HEALTH_CHECK_ITEMS = ExtractSpec(
    name="health_check_items",
    defines_year=False,
    grain="one row per survey item (the codebook)",
    section="health_check",
    columns=(
        _c("item_id", "text", required=True, not_null=True),
        _c("standard", "int", required=True, not_null=True, allowed=tuple(range(0, 9))),
        _c("theme", "code", required=True, not_null=True,
           allowed=("workload", "wellbeing", "stress", "supervision", "learning", "equality",
                    "culture", "intention_to_stay", "practice")),
        _c("text", "text"),
        _flag("reverse_scored", required=True, not_null=True),
    ),
)

HEALTH_CHECK_INVITED = ExtractSpec(
    name="health_check_invited",
    defines_year=False,
    grain="one row per service",
    section="health_check",
    columns=(_SERVICE, _c("invited", "int", required=True, not_null=True, minimum=0)),
)

_ROLE_GROUP = _c("role_group", "code",
                 allowed=("social_worker", "senior_practitioner", "manager", "asye", "other"))
ANSWER_COUNTS = tuple(f"answer_{v}" for v in range(1, 6))

HEALTH_CHECK_AGGREGATE = ExtractSpec(
    name="health_check_aggregate",
    grain="one row per survey item and service (and role group, when the report splits by it): "
          "how many respondents gave each answer 1-5, and how many left it blank",
    section="health_check",
    notes=("The health check as councils receive it from the LGA: answers counted per item, "
           "not respondent rows. Respondent rows win for a service that has both.",),
    alternative_to="health_check_responses",
    columns=(
        _c("item_id", "text", required=True, not_null=True),
        _SERVICE,
        _ROLE_GROUP,
        *(_c(name, "int", required=True, not_null=True, minimum=0) for name in ANSWER_COUNTS),
        _c("blank", "int", minimum=0),
    ),
)

_CHILDREN_CASE_TYPES = ("cin", "cp", "cla", "care_leaver", "assessment")
_ADULTS_CASE_TYPES = ("assessment", "review", "long_term", "safeguarding")

CASELOAD = ExtractSpec(
    name="caseload",
    worker_check=(
        "XEX-001",
        "A case is allocated to a worker who is not in the HR workforce extract, so caseload "
        "per FTE cannot count them.",
        "Check the worker_id matches the HR staff reference, or add the worker's spell "
        "(agency workers included) to hr_workforce.",
    ),
    grain="one row per allocation of a case to a worker",
    section="practice",
    columns=(
        _CASE,
        _WORKER,
        _SERVICE,
        _c("case_type", "code", required=True, not_null=True,
           allowed=tuple(dict.fromkeys(_CHILDREN_CASE_TYPES + _ADULTS_CASE_TYPES))),
        _c("allocated_date", "date", required=True, not_null=True),
        _c("deallocated_date", "date", required=True),
    ),
)

ASSESSMENTS = ExtractSpec(
    name="assessments",
    worker_check=(
        "XEX-002",
        "An assessment names a worker who is not in the HR workforce extract.",
        "Check the worker_id matches the HR staff reference, or add the worker to hr_workforce.",
    ),
    grain="one row per assessment",
    section="practice",
    columns=(
        _c("assessment_id", "text", required=True, not_null=True),
        _CASE,
        _WORKER,
        _SERVICE,
        _c("assessment_type", "code", required=True, not_null=True,
           allowed=("single_assessment", "care_act_assessment", "other")),
        _c("start_date", "date", required=True, not_null=True),
        _c("completed_date", "date", required=True),
    ),
)

AUDITS = ExtractSpec(
    name="audits",
    worker_check=(
        "XEX-003",
        "An audit names a worker who is not in the HR workforce extract.",
        "Check the worker_id matches the HR staff reference, or add the worker to hr_workforce.",
    ),
    grain="one row per case audit",
    section="practice",
    columns=(
        _c("audit_id", "text", required=True, not_null=True),
        _CASE,
        _WORKER,
        _SERVICE,
        _c("audit_date", "date", required=True, not_null=True),
        _c("grade", "code", required=True, not_null=True,
           allowed=("outstanding", "good", "requires_improvement", "inadequate")),
    ),
)

# Reading order: the codebook comes before the responses, which need its item ids.
SPECS: dict[str, ExtractSpec] = {
    s.name: s
    for s in (HR_WORKFORCE, HR_VACANCIES, LEARNING, SUPERVISION, HEALTH_CHECK_ITEMS,
              HEALTH_CHECK_RESPONSES, HEALTH_CHECK_INVITED, CASELOAD, ASSESSMENTS, AUDITS,
              HEALTH_CHECK_AGGREGATE)
}
EXTRACTS: tuple[str, ...] = tuple(SPECS)
CSWW = "csww"  # the DfE census return (any .xml name) supplies children's HR workforce, vacancies
CSWW_EXTRACTS = ("hr_workforce", "hr_vacancies")
# worker_crosswalk.csv/.xlsx (worker_id, swe_no): joins census workers, keyed by SWE number, to
# the local ids of the other extracts, in memory at ingest. Never loaded (swe_no is NEVER_LOADED).
CROSSWALK = "worker_crosswalk"
# `psw build` needs one of these (docs/design.md §3 "Validate and build").
REQUIRED_FOR_BUILD = ("hr_workforce", CSWW)


def missing_extracts(present: set[str]) -> list[str]:
    """Extracts with no file, leaving out one whose alternative is there (either way round)."""
    covered = set(present)
    for spec in SPECS.values():
        if spec.alternative_to and (spec.name in present or spec.alternative_to in present):
            covered |= {spec.name, spec.alternative_to}
    return [e for e in EXTRACTS if e not in covered]


def has_build_minimum(found: set[str] | dict) -> bool:
    """True when the folder holds hr_workforce or a census return."""
    return any(name in found for name in REQUIRED_FOR_BUILD)


# candidate.* / raw.* tables: name -> ordered (column, DuckDB type); each also gets STAMP_COLUMNS.
STAMP_COLUMNS = (("reporting_year", "INTEGER"), ("source_sha256", "VARCHAR"),
                 ("source_row", "INTEGER"))
HEALTH_CHECK_ANSWERS = "health_check_answers"


# Stored type of a pseudonymised id: 16 bytes of HMAC (assets/candidate/pseudonymise.py).
PSEUDONYM_TYPE = "BLOB"


def _stored_type(column: ColumnSpec) -> str:
    return PSEUDONYM_TYPE if column.name in ID_KINDS else column.duckdb_type


def _table_columns(spec: ExtractSpec) -> tuple[tuple[str, str], ...]:
    cols = tuple((c.name, _stored_type(c)) for c in spec.columns if c.name != BIRTH_DATE_COLUMN)
    if spec.name == "hr_workforce":
        cols += (("age_band", "VARCHAR"),)
    return cols


TABLE_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    **{name: _table_columns(spec) for name, spec in SPECS.items()},
    HEALTH_CHECK_ANSWERS: (("response_id", PSEUDONYM_TYPE), ("item_id", "VARCHAR"),
                           ("answer", "INTEGER")),
}
TABLES: tuple[str, ...] = tuple(TABLE_COLUMNS)


def table_schema(table: str) -> tuple[tuple[str, str], ...]:
    """All columns of candidate.<table> / raw.<table>, stamps included, with DuckDB types."""
    return TABLE_COLUMNS[table] + STAMP_COLUMNS
