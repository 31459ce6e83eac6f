"""Clinical and administrative codes the synthetic activity uses (ICD-10, HES, CLD values).

ICD-10 codes are written without the dot, four characters, as in HES (``diag_4_01``).
"""

from __future__ import annotations

# Chronic ambulatory-care-sensitive conditions (NHS Outcomes Framework 2.3.i), by condition.
ACSC_DIAGNOSES: dict[str, tuple[str, ...]] = {
    "asthma": ("J459", "J46X"),
    "copd": ("J441", "J440", "J439", "J42X"),
    "chd": ("I209", "I259"),
    "heart_failure": ("I500", "I509", "J81X"),
    "diabetes": ("E116", "E119", "E101", "E110"),
    "hypertension": ("I10X",),
    "dementia": ("F03X", "G309"),
}
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
    "I489": 0.05,
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
# HES discharge destinations other than 19 (usual place of residence) and 79 (died).
OTHER_DESTINATIONS = {"51": 0.4, "29": 0.2, "65": 0.15, "85": 0.2, "54": 0.05}
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
