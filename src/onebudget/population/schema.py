"""The linked person-level dataset of a place: its tables and columns, in one place.

Field names follow the national datasets (HES admitted patient care and outpatients, the
Emergency Care Data Set, the Community Services Data Set, adult social care Client Level
Data), so that a real extract from an ICB's data service can be read the same way. The data
dictionary in ``docs/`` is generated from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

MONEY = pa.decimal128(12, 2)


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    description: str
    nullable: bool = False
    # A column the national layout gained later (the year): an older extract without it
    # loads with it empty, so a real extract from before that year still drops in.
    since: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    dataset: str
    description: str
    columns: tuple[Column, ...]
    row_id: str = "person_id"  # the column that identifies a row (unique in a sound extract)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])


C = Column
S, DATE, I8, I32, I64 = pa.string(), pa.date32(), pa.int8(), pa.int32(), pa.int64()
PERSON = C(
    "person_id",
    S,
    "Pseudonymous person identifier, the linkage key across tables (never an NHS number)",
)
CONDITIONS = (
    "hypertension",
    "diabetes",
    "asthma",
    "copd",
    "chd",
    "heart_failure",
    "dementia",
    "cancer",
    "ckd",
    "depression",
)

PERSONS = Table(
    "persons",
    "Linked demographics (GP registration, ONS deaths)",
    "One row per person resident in the place at any time in the window.",
    (
        PERSON,
        C("sex", I8, "1 male, 2 female (NHS Data Dictionary person stated gender code)"),
        C("date_of_birth", DATE, "Date of birth"),
        C("date_of_death", DATE, "Date of death, empty if alive at the end of the window", True),
        C("lsoa21", S, "Lower layer super output area (2021) of residence"),
        C("local_authority", S, "GSS code of the local authority district of residence"),
        C("gp_practice_code", S, "ODS code of the registered GP practice"),
        C("imd_decile", I8, "IMD 2025 decile of the LSOA (1 = most deprived)"),
        *(
            C(f"ltc_{name}", pa.bool_(), f"Has {name.replace('_', ' ')} (QOF register)")
            for name in CONDITIONS
        ),
        C("frailty", S, "Electronic frailty index grade, 65+: fit, mild, moderate or severe"),
    ),
)

DIAGNOSES = tuple(f"diag_4_{i:02d}" for i in range(1, 21))
PROCEDURES = tuple(f"opertn_4_{i:02d}" for i in range(1, 25))
PROCEDURE_DATES = tuple(f"opdate_{i:02d}" for i in range(1, 25))
# OneBudget's derived fields on admitted care: provider spells linked across transfers into
# continuous inpatient spells by ``population.cips``, recomputed whenever a table is read.
CIPS_COLUMNS = ("cips_id", "cips_first", "cips_last", "cips_admidate", "cips_disdate")

APC = Table(
    "apc_spells",
    "SUS / HES admitted patient care",
    "One row per hospital provider spell, in HES field names and NHS Data Dictionary codes "
    "(definitions/sus/apc.yaml). Clinical coding (diagnoses, procedures, specialty, episode "
    "type) is the spell's first episode's, as the national measures count it; discharge "
    "fields are its last episode's. Spells linked across transfers form continuous "
    "inpatient spells (the cips_ fields, derived on reading).",
    (
        C("spell_id", I64, "Hospital provider spell identifier"),
        PERSON,
        C("procode3", S, "ODS code of the provider trust"),
        C("admidate", DATE, "Date of admission (start of the hospital provider spell)"),
        C("disdate", DATE, "Date of discharge, empty while the spell is unfinished", True),
        C("speldur", I32, "Length of stay in days (disdate - admidate)", True),
        C(
            "admimeth",
            S,
            "Admission method: 11-13 elective, 21-25, 2A-2D and 28 emergency (2B a transfer "
            "from another provider in an emergency), 31-32 maternity, 81-83 other",
        ),
        C(
            "admisorc",
            S,
            "Source of admission: 19 usual place of residence, 51-53 another "
            "NHS provider (a transfer), 54/65/85 care home",
        ),
        C(
            "classpat",
            I8,
            "Patient classification: 1 ordinary admission, 2 day case, 3 regular "
            "day attender, 4 regular night attender, 5 mothers and babies (delivery only)",
        ),
        C(
            "epitype",
            S,
            "Episode type: 1 general, 2 delivery, 3 birth, 4 formally detained "
            "psychiatric, 5 other delivery, 6 other birth",
        ),
        C("mainspef", S, "Main specialty code of the consultant (NHS Data Dictionary)"),
        C("tretspef", S, "Treatment function code (NHS Data Dictionary)"),
        C(
            "dismeth",
            S,
            "Discharge method: 1 on clinical advice, 2 self-discharge, 3 by a "
            "mental health review tribunal or similar, 4 died, 5 stillbirth, 8 not applicable "
            "(still in hospital)",
            True,
        ),
        C(
            "disdest",
            S,
            "Discharge destination: 19 usual place of residence, 29 temporary, 51-53 another "
            "NHS provider, 54/65/85 care home, 79 died, 98 not applicable",
            True,
        ),
        C(
            "disreadydate",
            DATE,
            "Discharge ready date (NHS Data Dictionary: Discharge Ready Date (Hospital Provider "
            "Spell), in the CDS from 2023/24): the day the patient no longer met the criteria "
            "to reside, on or before disdate; equal to it when the discharge was not delayed. "
            "Recorded for adult inpatients discharged alive; may be empty otherwise",
            True,
            since="2023/24",
        ),
        C(
            DIAGNOSES[0],
            S,
            "Primary diagnosis, ICD-10 (4 characters, no dot, X for a 3-character code)",
        ),
        *(
            C(name, S, f"Secondary diagnosis {i + 2}, ICD-10", True)
            for i, name in enumerate(DIAGNOSES[1:])
        ),
        *(
            C(name, S, f"Procedure {i + 1}, OPCS-4 (4 characters, no dot)", True)
            for i, name in enumerate(PROCEDURES)
        ),
        *(
            C(name, DATE, f"Date of procedure {i + 1}", True)
            for i, name in enumerate(PROCEDURE_DATES)
        ),
        C("cost", MONEY, "Cost of the spell, pounds (PSSRU 2024 unit costs)"),
        C(
            "cips_id",
            I64,
            "OneBudget's derived field, not in SUS: the continuous inpatient "
            "spell this spell belongs to (the spell_id of its first provider spell)",
            True,
        ),
        C(
            "cips_first",
            pa.bool_(),
            "OneBudget's derived field: the first provider spell of "
            "its continuous inpatient spell (not a transfer in)",
            True,
        ),
        C(
            "cips_last",
            pa.bool_(),
            "OneBudget's derived field: the last provider spell of "
            "its continuous inpatient spell (not a transfer out)",
            True,
        ),
        C(
            "cips_admidate",
            DATE,
            "OneBudget's derived field: admission date of the continuous inpatient spell",
            True,
        ),
        C(
            "cips_disdate",
            DATE,
            "OneBudget's derived field: discharge date of the continuous "
            "inpatient spell, empty while unfinished",
            True,
        ),
    ),
    "spell_id",
)

AE = Table(
    "ae_attendances",
    "Emergency Care Data Set (ECDS)",
    "One row per A&E attendance.",
    (
        C("attendance_id", I64, "Attendance identifier"),
        PERSON,
        C("procode3", S, "ODS code of the provider trust"),
        C("arrival_date", DATE, "Date of arrival"),
        C("ec_department_type", S, "01 major emergency department, 03 urgent treatment centre"),
        C("arrival_mode", S, "ambulance, or walk-in or other"),
        C("attendance_disposal", S, "admitted, discharged or referred"),
        C("cost", MONEY, "Cost of the attendance, pounds"),
    ),
    "attendance_id",
)

OP = Table(
    "op_appointments",
    "HES outpatients",
    "One row per outpatient appointment.",
    (
        C("appointment_id", I64, "Appointment identifier"),
        PERSON,
        C("procode3", S, "ODS code of the provider trust"),
        C("apptdate", DATE, "Date of the appointment"),
        C("firstatt", S, "1 first attendance, 2 follow-up"),
        C("attended", S, "5 attended, 3 did not attend"),
        C("tretspef", S, "Treatment function code"),
        C("cost", MONEY, "Cost, pounds (0 if not attended)"),
    ),
    "appointment_id",
)

COMMUNITY = Table(
    "community_contacts",
    "Community Services Data Set (CSDS)",
    "One row per community health care contact.",
    (
        C("contact_id", I64, "Care contact identifier"),
        PERSON,
        C("provider_code", S, "ODS code of the community provider"),
        C("contact_date", DATE, "Date of the contact"),
        C(
            "team_type",
            S,
            "district nursing, urgent community response, intermediate care, "
            "community rehabilitation, podiatry, specialist nursing",
        ),
        C("contact_duration_minutes", pa.int16(), "Length of the contact in minutes"),
        C("cost", MONEY, "Cost of the contact, pounds"),
    ),
    "contact_id",
)

CLD = Table(
    "asc_cld",
    "Adult social care Client Level Data (CLD), Release 2",
    "One row per request, assessment, service or review event, in the CLD specification's "
    "field names and Release 2 defined lists (definitions/cld/release-2.yaml).",
    (
        C("LA_Code", S, "GSS code of the council"),
        C("LA_Person_Unique_Identifier", S, "The council's own identifier for the person"),
        PERSON,
        C("Client_Type", S, "Service user, Unpaid carer or Unpaid carer known by association"),
        C("Gender", S, "Male, Female or Unknown"),
        C("Primary_Support_Reason", S, "Primary support reason of the person"),
        C(
            "Accommodation_Status",
            S,
            "The person's accommodation status as recorded on this event (defined list)",
            True,
        ),
        C("Event_Type", S, "Request, Assessment, Service or Review"),
        C("Event_Reference", S, "Identifier of the event"),
        C("Event_Start_Date", DATE, "Start date of the event"),
        C("Event_End_Date", DATE, "End date, empty while a service continues", True),
        C("Event_Outcome", S, "Outcome of the event (defined list)", True),
        C(
            "Request_Route_of_Access",
            S,
            "Route of access of a request: Discharge from hospital, Community or other route...",
            True,
        ),
        C("Assessment_Type", S, "Short term assessment or Long term assessment", True),
        C(
            "Service_Type",
            S,
            "Long term support: Nursing care / Residential care / Community / Prison, Short "
            "term support: ST-Max / Ongoing low level / Other short term, or Unpaid carer "
            "support",
            True,
        ),
        C(
            "Service_Component",
            S,
            "Long term nursing care, Long term residential care, Home support or domiciliary "
            "care, Community supported living, Direct payment, Reablement, Equipment...",
            True,
        ),
        C(
            "Delivery_Mechanism",
            S,
            "Direct payment, CASSR managed personal budget or CASSR commissioned support",
            True,
        ),
        C(
            "Adult_1_Linked_Person_ID",
            S,
            "For an unpaid carer: the LA_Person_Unique_Identifier of the person cared for",
            True,
        ),
        C("Unit_Cost", MONEY, "Cost per unit, pounds", True),
        C("Cost_Frequency_Unit_Type", S, "Weekly, Hourly or One-off (defined list)", True),
        C(
            "Planned_units_per_week",
            pa.decimal128(6, 1),
            "Units a week (hours for home care)",
            True,
        ),
        C(
            "Weekly_Cost",
            MONEY,
            "OneBudget's derived field, not in CLD: Unit_Cost a week, pounds (empty for "
            "one-off costs)",
            True,
        ),
        C(
            "Funding_Source",
            S,
            "OneBudget's field, not in CLD: council, joint (council and NHS) or nhs_chc "
            "(continuing healthcare)",
            True,
        ),
    ),
    "Event_Reference",
)

TABLES: tuple[Table, ...] = (PERSONS, APC, AE, OP, COMMUNITY, CLD)
# Named groups of positional columns, so a definition can say "any diagnosis" once.
COLUMN_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    APC.name: {
        "diagnoses": DIAGNOSES,
        "secondary_diagnoses": DIAGNOSES[1:],
        "procedures": PROCEDURES,
    },
}
BY_NAME = {t.name: t for t in TABLES}
