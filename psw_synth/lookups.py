"""Fixed lists the generator draws from: code lists with their weights, names, teams, the health
check codebook and free-text templates. Code lists follow docs/design.md §3 and the CSWW field list
(domain/DEFINITIONS.md); weights are plausible assumptions, documented in docs/synthetic-data.md.
"""

from __future__ import annotations

SERVICES = ("children", "adults")

TEAMS = {
    "children": (
        "Front Door", "Assessment North", "Assessment South", "Child in Need East",
        "Child in Need West", "Child Protection", "Children in Care", "Care Leavers",
        "Disabled Children", "Fostering and Adoption",
    ),
    "adults": (
        "Hospital Discharge", "Locality East", "Locality West", "Mental Health",
        "Learning Disabilities", "Safeguarding Adults", "Transitions",
    ),
}

# CSWW OrgRole 1-6 (senior manager .. qualified without cases).
ORG_ROLES = (1, 2, 3, 4, 5, 6)
ORG_ROLE_WEIGHTS = (0.01, 0.04, 0.12, 0.18, 0.60, 0.05)
CASE_HOLDING_ROLES = (4, 5)

# CSWW GenderCurrent: 0 not known, 1 male, 2 female, 9 not specified.
GENDERS = (0, 1, 2, 9)
GENDER_WEIGHTS = (0.01, 0.16, 0.82, 0.01)

# CBDS ethnicity codes.
ETHNICITIES = (
    "WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
    "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
)
ETHNICITY_WEIGHTS = (
    0.60, 0.02, 0.05, 0.02, 0.01, 0.01, 0.01, 0.03, 0.03, 0.01, 0.01,
    0.04, 0.09, 0.01, 0.01, 0.01, 0.02, 0.02,
)

QUAL_LEVELS = (1, 2, 3)  # undergraduate, postgraduate, other
QUAL_LEVEL_WEIGHTS = (0.55, 0.40, 0.05)

# CSWW StartOrigin for direct starters (1 newly qualified .. 9 not known); 4 = agency, set
# separately for conversions, so its weight here is for people new to this authority.
START_ORIGINS = (1, 2, 3, 4, 5, 6, 7, 8, 9)
START_ORIGIN_WEIGHTS = (0.28, 0.30, 0.07, 0.08, 0.08, 0.05, 0.04, 0.03, 0.07)
AGENCY_START_ORIGINS = (2, 3, 4, 5, 9)
AGENCY_START_ORIGIN_WEIGHTS = (0.10, 0.10, 0.65, 0.05, 0.10)
START_ORIGIN_NEWLY_QUALIFIED = 1
START_ORIGIN_AGENCY = 4
START_ORIGIN_SERVICE_MOVE = 8  # "other": CSWW has no code for a move within the authority

# CSWW ReasonLeave and LeaverDestination.
REASONS_LEAVE = (1, 2, 3, 4, 5, 6, 8, 9)
REASON_LEAVE_WEIGHTS = (0.66, 0.02, 0.01, 0.03, 0.11, 0.005, 0.085, 0.08)
REASON_SERVICE_MOVE = 7  # moved to another social work role within the LA (docs/design.md §3)
REASON_RETIRED = 5
REASON_AGENCY_END = 8  # agency assignment ended: "other"
DESTINATIONS = (1, 2, 3, 4, 5, 6, 7, 8)
DESTINATION_WEIGHTS = (0.26, 0.03, 0.20, 0.08, 0.07, 0.14, 0.04, 0.18)
DESTINATION_RETIRED = 6  # non-social-care / no employment
DESTINATION_AGENCY = 3
DESTINATION_OTHER = 7

FIRST_NAMES = (
    "Amelia", "Olivia", "Isla", "Ava", "Mia", "Grace", "Freya", "Sophie", "Emily", "Lily",
    "Hannah", "Chloé", "Zoë", "Siân", "Renée", "Aoife", "Niamh", "Priya", "Aisha", "Fatima",
    "Amara", "Chiamaka", "Ngozi", "Yetunde", "Leah", "Rachel", "Bethany", "Gemma", "Kirsty",
    "Joanne", "Claire", "Helen", "Sarah", "Nadia", "Shabana", "Harpreet", "Mei", "Agnieszka",
    "Oliver", "Jack", "Harry", "George", "Noah", "Jacob", "Thomas", "Daniel", "Samuel", "Adeel",
    "Tariq", "Kwame", "José", "Seán", "Ciarán", "Marek", "Luca", "Rhys", "Owen", "Callum",
)
SURNAMES = (
    "Ashworth", "Barraclough", "Birtwistle", "Calderbank", "Dewhurst", "Entwistle", "Fairclough",
    "Greenhalgh", "Hargreaves", "Holroyd", "Ingleby", "Kershaw", "Lumb", "Marsden", "Nuttall",
    "Ormerod", "Pickles", "Ramsbottom", "Sutcliffe", "Thistlethwaite", "Uttley", "Whitworth",
    "Okonkwo", "Adeyemi", "Mensah", "Boateng", "Hussain", "Akhtar", "Chaudhry", "Patel",
    "Kaur", "Sandhu", "Nowak", "Kowalczyk", "Ó Briain", "O'Driscoll", "Müller", "Lefèvre",
    "Zhang", "Nguyen", "Fernández", "Da Silva", "MacLeod", "Llewellyn", "Pritchard", "Rhodes",
)
EMAIL_DOMAIN = "northfield.example.gov.uk"  # .example: can never be a real address

# Health check codebook: item_id, standard (0 wellbeing, LGA 1-8), theme, text, reverse_scored.
# Reverse-scored items are those where agreeing is bad (stress, excessive workload, leaving).
HEALTH_CHECK_ITEMS = (
    ("q01", 1, "practice", "I understand the social work practice model used here", 0),
    ("q02", 1, "culture", "Senior leaders value and promote social work", 0),
    ("q03", 1, "practice", "I have the tools and systems I need to do my job well", 0),
    ("q04", 2, "intention_to_stay", "I intend to be working here in 12 months' time", 0),
    ("q05", 2, "intention_to_stay", "I am actively looking for a job outside this authority", 1),
    ("q06", 2, "culture", "My team is staffed well enough to meet demand", 0),
    ("q07", 3, "workload", "My workload is manageable within my contracted hours", 0),
    ("q08", 3, "workload", "My caseload is too high to practise safely", 1),
    ("q09", 3, "workload", "Cases are allocated to me fairly and transparently", 0),
    ("q10", 4, "wellbeing", "My employer takes my health and wellbeing seriously", 0),
    ("q11", 4, "stress", "I often feel stressed by my work", 1),
    ("q12", 4, "equality", "I am treated fairly whatever my background", 0),
    ("q13", 4, "equality", "I have experienced discrimination at work in the last year", 1),
    ("q14", 5, "supervision", "I receive regular reflective supervision", 0),
    ("q15", 5, "supervision", "Supervision helps me make good decisions for people", 0),
    ("q16", 6, "learning", "I have protected time for continuing professional development", 0),
    ("q17", 6, "learning", "The training I have had this year improved my practice", 0),
    ("q18", 7, "learning", "I am supported to keep my professional registration up to date", 0),
    ("q19", 8, "learning", "Students and newly qualified staff are well supported here", 0),
    ("q20", 8, "practice", "We work well with universities and partner agencies", 0),
    ("q21", 0, "wellbeing", "Overall, I am satisfied with my job", 0),
    ("q22", 0, "stress", "I feel emotionally drained at the end of the working day", 1),
    ("q23", 0, "wellbeing", "I feel valued by my line manager", 0),
    ("q24", 0, "workload", "I regularly work beyond my contracted hours to keep up", 1),
)

ROLE_GROUPS = ("social_worker", "senior_practitioner", "manager", "asye", "other")
TENURE_BANDS = ("<2", "2-5", "5+")

LEARNING_CATEGORIES = (
    "mandatory", "cpd", "asye", "practice_educator", "leadership", "apprenticeship",
    "qualification", "other",
)
# Categories anyone may take, with weights; asye and apprenticeship activities are added for
# the workers on those routes.
GENERAL_LEARNING = ("mandatory", "cpd", "practice_educator", "leadership", "qualification", "other")
GENERAL_LEARNING_WEIGHTS = (0.42, 0.35, 0.04, 0.06, 0.03, 0.10)
# Hours per activity by category (low, high): short e-learning up to long qualifications.
LEARNING_HOURS = {
    "mandatory": (1, 7),
    "cpd": (1, 21),
    "asye": (3, 30),
    "practice_educator": (10, 60),
    "leadership": (3, 35),
    "apprenticeship": (15, 150),
    "qualification": (20, 180),
    "other": (1, 8),
}
LEARNING_ACTIVITIES = {
    "mandatory": ("Safeguarding children level 3", "Information governance", "Fire safety",
                  "Equality and diversity", "Mental Capacity Act refresher"),
    "cpd": ("Signs of Safety workshop", "Court skills", "Trauma-informed practice",
            "Strengths-based conversations", "Contextual safeguarding", "Domestic abuse"),
    "asye": ("ASYE reflective learning set", "ASYE critical reflection log",
             "ASYE direct observation"),
    "practice_educator": ("Practice Educator Professional Standards stage 1",
                          "Practice Educator Professional Standards stage 2"),
    "leadership": ("First-line managers programme", "Practice supervisor development"),
    "apprenticeship": ("Social work degree apprenticeship module",),
    "qualification": ("Best Interests Assessor", "AMHP qualification", "Postgraduate module"),
    "other": ("Team away day", "Conference attendance", "Peer learning session"),
}

SUPERVISION_MINUTES = (45, 60, 75, 90, 120)
SUPERVISION_MINUTES_WEIGHTS = (0.10, 0.45, 0.15, 0.25, 0.05)

CASE_TYPES = {
    "children": ("cin", "cp", "cla", "care_leaver", "assessment"),
    "adults": ("assessment", "review", "long_term", "safeguarding"),
}
CASE_TYPE_WEIGHTS = {
    "children": (0.33, 0.15, 0.30, 0.10, 0.12),
    "adults": (0.22, 0.26, 0.42, 0.10),
}
ASSESSMENT_TYPE = {"children": "single_assessment", "adults": "care_act_assessment"}

# Survey free text. {name} is a staff member from the HR extract, {email} and {phone} are
# contact details: the scrubber must remove them.
PLAIN_COMMENTS = (
    "Workloads have been very high since the spring.",
    "Supervision is regular and helpful.",
    "Would like more protected time for learning.",
    "Mileage rates have not kept pace with fuel costs; I paid £60 for parking this month.",
    "The new case recording system is slow, which adds hours to my week.",
    "I feel supported by my team, but the duty rota is relentless.",
    "Agency turnover in the team means children keep changing social worker.",
    "Hybrid working has helped my wellbeing.",
    "Please keep the ASYE learning sets, they were the best part of the year.",
    "Not enough admin support, so I do a lot of typing at night.",
)
IDENTIFYING_COMMENTS = (
    "{name} has been an amazing manager this year.",
    "I raised this with {name} but nothing changed.",
    "If anyone wants to discuss, email me at {email}.",
    "Call me on {phone} if you want to talk about the rota.",
    "Thanks to {name} for covering my cases while I was off.",
)
MULTILINE_COMMENT = "Three things would help:\n1. fewer meetings\n2. more admin support"
PHONE_PREFIX = "07700 900"  # Ofcom reserves 07700 900000-900999 for drama: never a real number
