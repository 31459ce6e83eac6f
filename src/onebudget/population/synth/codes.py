"""Clinical and administrative codes the synthetic activity uses (ICD-10, OPCS-4, HES).

ICD-10 and OPCS-4 codes are written without the dot, as in HES (``diag_4_01``,
``opertn_4_01``); specialties are NHS Data Dictionary main specialty and treatment function
codes. Every administrative code is one listed in ``definitions/sus/apc.yaml``.
"""

from __future__ import annotations

# Chronic ambulatory-care-sensitive primary diagnoses drawn for people with each long-term
# condition, with their relative frequency: every one is on the list ``chronic-acsc-admissions``
# counts (CCG OIS 2.6). Dementia is F00-F03 (Alzheimer's disease itself, G30, is not on it).
# Atrial fibrillation (I48) is on it but has no condition of its own here: it is drawn for
# people with hypertension or heart failure, the conditions it most often comes with.
ACSC_DIAGNOSES: dict[str, dict[str, float]] = {
    "asthma": {"J459": 1.0, "J46X": 1.0},
    "copd": {"J441": 1.0, "J440": 1.0, "J439": 1.0, "J42X": 1.0},
    "chd": {"I209": 1.0, "I259": 1.0},
    "heart_failure": {"I500": 1.0, "I509": 1.0, "J81X": 1.0, "I489": 0.75},
    "diabetes": {"E116": 1.0, "E119": 1.0, "E101": 1.0, "E110": 1.0},
    "hypertension": {"I10X": 0.25, "I489": 0.75},
    "dementia": {"F03X": 0.6, "F019": 0.2, "F009": 0.2},
}
# How much more often an admission of someone with several of these conditions is for one
# than another: heart failure and COPD admit far more per person with them than hypertension,
# which is common but rarely the reason for an admission (NHS OF 2.3.i's mix is mostly COPD,
# heart failure, atrial fibrillation, angina, diabetes and asthma); hypertension's weight is
# mostly its atrial fibrillation.
ACSC_WEIGHTS = {
    "asthma": 1.0,
    "copd": 6.0,
    "chd": 2.0,
    "heart_failure": 8.0,
    "diabetes": 1.0,
    "hypertension": 0.15,
    "dementia": 2.0,
}
# Primary diagnoses the chronic ACSC indicator does not count when the spell has a procedure
# (a cardiac one for heart failure and hypertension, any operation for angina): the procedures
# drawn for them (``EMERGENCY_PROCEDURES``) are all in OPCS-4 chapter K, the heart.
ACSC_UNLESS_PROCEDURE = ("I110", "I130", "I50", "J81", "I10", "I119", "I20", "I25")
# How each long-term condition is recorded as a secondary diagnosis.
CONDITION_CODES: dict[str, str] = {
    "hypertension": "I10X",
    "diabetes": "E119",
    "asthma": "J459",
    "copd": "J449",
    "chd": "I259",
    "heart_failure": "I509",
    "dementia": "F03X",
    "cancer": "C809",
    "ckd": "N183",
    "depression": "F329",
}
FALL_INJURIES = {
    "S720": 0.3,
    "S060": 0.1,
    "S325": 0.08,
    "S422": 0.1,
    "S525": 0.12,
    "S223": 0.1,
    "S000": 0.1,
    "T140": 0.1,
}
FALL_EXTERNAL_CAUSES = {"W19X": 0.5, "W010": 0.2, "W06X": 0.1, "W10X": 0.1, "W18X": 0.1}
ACUTE_DIAGNOSES = {
    "R074": 0.1,
    "J189": 0.1,
    "N390": 0.08,
    "R104": 0.09,
    "J22X": 0.08,
    "A099": 0.05,
    "L031": 0.05,
    "R55X": 0.05,
    "K358": 0.04,
    "R060": 0.04,
    "K590": 0.03,
    "T391": 0.03,
    "F101": 0.04,
    "O470": 0.04,
    "B349": 0.06,
    "R51X": 0.03,
}
ELECTIVE_DIAGNOSES = {
    "H259": 0.14,
    "M171": 0.08,
    "M161": 0.06,
    "K409": 0.06,
    "Z511": 0.12,
    "K802": 0.06,
    "N40X": 0.04,
    "D125": 0.08,
    "K219": 0.06,
    "M751": 0.05,
    "C509": 0.05,
    "N200": 0.04,
    "G560": 0.05,
    "I839": 0.03,
    "R194": 0.08,
}
# HES admission methods: 21 A&E, 22 GP, 23 bed bureau, 24 consultant clinic, 28 other.
EMERGENCY_METHODS_NOT_AE = {"22": 0.5, "23": 0.15, "24": 0.15, "28": 0.2}
ELECTIVE_METHODS = {"11": 0.7, "12": 0.25, "13": 0.05}
# Where a stay ends other than 19 (usual place of residence) and 79 (died). A move to
# another NHS hospital (51) is not an end: it is a transfer, and the stay goes on there.
OTHER_DESTINATIONS = {"29": 0.35, "65": 0.25, "85": 0.32, "54": 0.08}
# Other common comorbidities coded as secondary diagnoses besides the long-term conditions:
# hyperlipidaemia, long-term anticoagulants, hypothyroidism, arthrosis, history of
# circulatory disease, peripheral vascular disease, obesity, other long-term medicines.
OTHER_COMORBIDITIES = ("E785", "Z921", "E039", "M199", "Z867", "I739", "E669", "Z922")
# OPCS-4 operations a planned admission is for, by its primary diagnosis, in position order.
ELECTIVE_PROCEDURES: dict[str, tuple[str, ...]] = {
    "H259": ("C712",),  # cataract: phacoemulsification of lens
    "M161": ("W371",),  # hip arthrosis: primary total hip replacement using cement
    "M171": ("W401",),  # knee arthrosis: primary total knee replacement using cement
    "K409": ("T201",),  # inguinal hernia: primary repair using insert of material
    "Z511": ("X352", "X723"),  # chemotherapy: intravenous, and its delivery
    "K802": ("J183",),  # gallstones: total cholecystectomy
    "N40X": ("M653",),  # prostatic hyperplasia: endoscopic resection of prostate
    "D125": ("H221",),  # colon polyp: diagnostic colonoscopy with biopsy
    "K219": ("G451",),  # oesophagitis: upper GI endoscopy with biopsy
    "M751": ("O291",),  # rotator cuff syndrome: subacromial decompression
    "C509": ("B281",),  # breast cancer: quadrantectomy (wide local excision)
    "N200": ("M141",),  # kidney stone: shock wave lithotripsy
    "G560": ("A651",),  # carpal tunnel syndrome: carpal tunnel release
    "I839": ("L882",),  # varicose veins: transluminal laser ablation
    "R194": ("H221",),  # change in bowel habit: diagnostic colonoscopy with biopsy
}
# Added after the operation in an ordinary (overnight) admission: the lens implant after
# phacoemulsification, laparoscopic approach (Y752), and the side operated on (Z942 right,
# Z943 left) for operations on one of a pair.
ELECTIVE_EXTRAS = {"C712": ("C751",), "J183": ("Y752",)}
SIDED = ("C712", "W371", "W401", "T201", "O291", "B281", "A651", "L882")
# Procedures in emergency spells, by primary diagnosis prefixes: (prefixes, share of those
# spells, procedures). Rules on the same diagnosis take disjoint shares. The heart failure
# cardiac procedures (pacemaker K601/K611, ablation K571) and the coronary angiography of
# chest pain and angina (K634) are the ones the chronic ACSC measure excludes; the
# echocardiogram (U201), CT of the head (U051) and non-invasive ventilation (E852) are not.
EMERGENCY_PROCEDURES: tuple[tuple[tuple[str, ...], float, dict[str, float]], ...] = (
    (("I50", "I110", "J81"), 0.07, {"K601": 0.4, "K611": 0.3, "K571": 0.3}),
    (("I50", "I110", "J81"), 0.12, {"U201": 1.0}),
    (("R074", "I20", "I25"), 0.15, {"K634": 1.0}),
    (("S720",), 0.9, {"W461": 0.45, "W471": 0.2, "W241": 0.2, "W191": 0.15}),
    (("S06", "R55", "R51"), 0.4, {"U051": 1.0}),
    (("K35",), 0.85, {"H012": 0.8, "H013": 0.2}),
    (("J44",), 0.15, {"E852": 1.0}),
)
# Emergency spells no rule above matches: a share has a CT of the head or another CT.
OTHER_EMERGENCY_PROCEDURES = (0.03, {"U051": 0.5, "U212": 0.5})
# Main specialty and treatment function by primary diagnosis prefix (first match wins), and
# whether the admission is medical (then 420 paediatrics under 16, and for the general
# medical ones 430 geriatric medicine at 75 and over).
SPECIALTIES: tuple[tuple[tuple[str, ...], str, str, bool], ...] = (
    (("O",), "501", "501", False),  # obstetrics
    (("F1", "F2", "F3"), "710", "710", False),  # adult mental illness
    (("S", "T0", "T1", "M16", "M17", "M75", "G56"), "110", "110", False),  # trauma & orthopaedics
    (("H",), "130", "130", False),  # ophthalmology
    (("C50",), "100", "103", False),  # general surgery consultant, breast surgery service
    (("C", "Z511"), "370", "370", False),  # medical oncology
    (("I83",), "107", "107", False),  # vascular surgery
    (("I",), "320", "320", True),  # cardiology
    (("J",), "340", "340", True),  # respiratory medicine
    (("K21", "D12", "R19"), "301", "301", False),  # gastroenterology
    (("K", "R10"), "100", "100", False),  # general surgery
    (("N20", "N40"), "101", "101", False),  # urology
)
GENERAL_MEDICINE, GERIATRIC_MEDICINE, PAEDIATRICS = "300", "430", "420"
# Source of admission of people in a long-term care home (CLD) when admitted: NHS run care
# home (54), local authority residential accommodation (65), non-NHS run care home (85).
CARE_HOME_SOURCES = {"nursing": {"85": 0.92, "54": 0.08}, "residential": {"85": 0.7, "65": 0.3}}
TEMPORARY_RESIDENCE_SHARE = 0.015  # admitted from a temporary place of residence (29)
SELF_DISCHARGE_SHARE = 0.01  # emergency spells of people 18-64 ending in self-discharge
OUTPATIENT_SPECIALTIES = {
    "100": 0.08,
    "101": 0.06,
    "110": 0.12,
    "120": 0.06,
    "130": 0.12,
    "300": 0.08,
    "320": 0.08,
    "330": 0.06,
    "340": 0.05,
    "370": 0.07,
    "420": 0.06,
    "502": 0.06,
    "301": 0.05,
    "307": 0.05,
}
COMMUNITY_TEAMS_65_PLUS = {
    "district nursing": 0.55,
    "community rehabilitation": 0.15,
    "intermediate care": 0.08,
    "podiatry": 0.1,
    "specialist nursing": 0.12,
}
COMMUNITY_TEAMS_UNDER_65 = {
    "district nursing": 0.25,
    "specialist nursing": 0.3,
    "podiatry": 0.2,
    "community rehabilitation": 0.25,
}
