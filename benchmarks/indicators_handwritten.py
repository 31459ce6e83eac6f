"""The benchmark's comparators: the same six indicators (3D's snapshot at its highest setting
for the calendar year's last day) as hand-written DuckDB SQL and as
straightforward pandas. Each returns {indicator: {(period, band): (numerator, denominator)}}
with band 0 except for the falls DSR (ESP band), so results can be checked against the
framework's raw counts before timings are believed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

YEARS = (2023, 2024, 2025)
Counts = dict[str, dict[tuple[Any, ...], tuple[int, int]]]
AGE_SQL = (
    "(year({d}) - year(p.date_of_birth) - CASE WHEN month({d}) * 100 + day({d}) < "
    "month(p.date_of_birth) * 100 + day(p.date_of_birth) THEN 1 ELSE 0 END)"
)
YEARS_SQL = "(VALUES (2023), (2024), (2025)) y(y)"
MID = "make_date(y.y, 6, 30)"  # the ONS mid-year date
ALIVE = f"p.date_of_birth <= {MID} AND (p.date_of_death IS NULL OR p.date_of_death > {MID})"

POPULATION = f"SELECT y.y, 0, count(*) FROM t_persons p, {YEARS_SQL} WHERE {ALIVE} GROUP BY ALL"
DISCHARGES = (
    "SELECT year(disdate), 0, count(*) FROM t_apc_spells WHERE admimeth LIKE '2%' "
    "AND disdest <> '79' AND year(disdate) BETWEEN 2023 AND 2025 GROUP BY ALL"
)
# ASCOF 3D: long-term clients open on 31 December, each at their highest setting
LAST = "make_date(y.y, 12, 31)"
CLIENTS = (
    "SELECT y, 0, count(*) FROM (SELECT y.y, c.person_id, min(CASE "
    "WHEN c.Service_Type = 'Long term support: Nursing care' THEN 1 "
    "WHEN c.Service_Type = 'Long term support: Residential care' THEN 2 "
    "WHEN c.Service_Type <> 'Long term support: Community' THEN 7 "
    "WHEN c.Service_Component = 'Direct payment' OR c.Delivery_Mechanism = 'Direct payment' "
    "THEN 3 WHEN c.Delivery_Mechanism = 'CASSR managed personal budget' THEN 4 "
    "WHEN c.Delivery_Mechanism = 'CASSR commissioned support' THEN 5 ELSE 6 END) AS r, "
    "min(floor(datediff('day', make_date(year(p.date_of_birth), month(p.date_of_birth), 1), "
    f"{LAST}) / 365.25)) AS age FROM t_asc_cld c JOIN t_persons p ON p.person_id = c.person_id, "
    f"{YEARS_SQL} WHERE c.Client_Type = 'Service user' AND c.Service_Type IN "
    "('Long term support: Nursing care', 'Long term support: Residential care', "
    "'Long term support: Community', 'Long term support: Prison') "
    f"AND c.Event_Start_Date <= {LAST} AND (c.Event_End_Date IS NULL OR "
    f"c.Event_End_Date >= {LAST}) GROUP BY ALL) WHERE age >= 18 AND r IN ({{counted}}) "
    "GROUP BY ALL"
)
SQL = {
    "non-elective-admissions": (
        "SELECT year(admidate), 0, count(*) FROM t_apc_spells WHERE admimeth LIKE '2%' "
        "AND year(admidate) BETWEEN 2023 AND 2025 GROUP BY ALL",
        POPULATION,
    ),
    "non-elective-bed-days": (
        "SELECT year(admidate), 0, sum(speldur) FROM t_apc_spells WHERE admimeth LIKE '2%' "
        "AND year(admidate) BETWEEN 2023 AND 2025 GROUP BY ALL",
        POPULATION,
    ),
    "discharge-usual-residence": (
        "SELECT year(disdate), 0, count(*) FROM t_apc_spells WHERE admimeth LIKE '2%' "
        "AND disdest = '19' AND year(disdate) BETWEEN 2023 AND 2025 GROUP BY ALL",
        DISCHARGES,
    ),
    "falls-65-plus": (
        f"SELECT year(a.admidate), least(floor({AGE_SQL.format(d='a.admidate')} / 5) * 5, 90), "
        "count(*) FROM t_apc_spells a JOIN t_persons p USING (person_id) "
        "WHERE a.admimeth LIKE '2%' AND substring(a.diag_4_01, 1, 1) IN ('S', 'T') "
        "AND (a.diag_4_02 LIKE 'W0%' OR a.diag_4_02 LIKE 'W1%') "
        f"AND {AGE_SQL.format(d='a.admidate')} >= 65 "
        "AND year(a.admidate) BETWEEN 2023 AND 2025 GROUP BY ALL",
        f"SELECT y.y, least(floor({AGE_SQL.format(d=MID)} / 5) * 5, 90), count(*) "
        f"FROM t_persons p, {YEARS_SQL} WHERE {ALIVE} AND {AGE_SQL.format(d=MID)} >= 65 "
        "GROUP BY ALL",
    ),
    "emergency-readmissions-30-days": (
        "SELECT year(i.disdate), 0, count(*) FROM t_apc_spells i WHERE i.admimeth LIKE '2%' "
        "AND i.disdest <> '79' AND year(i.disdate) BETWEEN 2023 AND 2025 AND EXISTS ("
        "SELECT 1 FROM t_apc_spells r WHERE r.person_id = i.person_id AND r.admimeth LIKE '2%' "
        "AND r.admidate > i.disdate AND r.admidate <= i.disdate + 30) GROUP BY ALL",
        DISCHARGES,
    ),
    "self-directed-support": (
        CLIENTS.format(counted="3, 4"),
        CLIENTS.format(counted="3, 4, 5, 6"),
    ),
}


def _pairs(
    numerators: list[tuple[Any, ...]], denominators: list[tuple[Any, ...]]
) -> dict[tuple[Any, ...], tuple[int, int]]:
    num = {(str(r[0]), int(r[1])): int(r[2]) for r in numerators}
    den = {(str(r[0]), int(r[1])): int(r[2]) for r in denominators}
    return {k: (num.get(k, 0), den.get(k, 0)) for k in sorted(set(num) | set(den))}


def run_sql(con: Any) -> Counts:
    return {
        name: _pairs(con.execute(num).fetchall(), con.execute(den).fetchall())
        for name, (num, den) in SQL.items()
    }


def _age(born: pd.Series, on: pd.Series) -> pd.Series:
    before = (on.dt.month * 100 + on.dt.day) < (born.dt.month * 100 + born.dt.day)
    return on.dt.year - born.dt.year - before.astype(int)


def _mid_population(persons: pd.DataFrame, year: int) -> pd.DataFrame:
    mid = pd.Timestamp(year, 6, 30)
    alive = (persons.date_of_birth <= mid) & (
        persons.date_of_death.isna() | (persons.date_of_death > mid)
    )
    living = persons[alive]
    return living.assign(age=_age(living.date_of_birth, pd.Series(mid, index=living.index)))


def run_pandas(frames: dict[str, pd.DataFrame]) -> Counts:
    persons, apc, cld = frames["persons"], frames["apc_spells"], frames["asc_cld"]
    emergency = apc[apc.admimeth.str.startswith("2")]
    out: Counts = defaultdict(dict)
    for year in YEARS:
        y = str(year)
        pop = _mid_population(persons, year)
        admitted = emergency[emergency.admidate.dt.year == year]
        out["non-elective-admissions"][y, 0] = (len(admitted), len(pop))
        out["non-elective-bed-days"][y, 0] = (int(admitted.speldur.sum()), len(pop))
        discharged = emergency[(emergency.disdate.dt.year == year) & (emergency.disdest != "79")]
        home = int((discharged.disdest == "19").sum())
        out["discharge-usual-residence"][y, 0] = (home, len(discharged))
        followed = discharged.merge(
            emergency[["person_id", "admidate"]], on="person_id", suffixes=("", "_next")
        )
        gap = (followed.admidate_next - followed.disdate).dt.days
        readmitted = followed.loc[(gap > 0) & (gap <= 30), "spell_id"].nunique()
        out["emergency-readmissions-30-days"][y, 0] = (readmitted, len(discharged))
        _falls(out, admitted, persons, pop, y)
        _self_directed(out, cld, persons, year, y)
    return dict(out)


def _falls(
    out: Counts, admitted: pd.DataFrame, persons: pd.DataFrame, pop: pd.DataFrame, y: str
) -> None:
    falls = admitted[
        admitted.diag_4_01.str[0].isin(["S", "T"])
        & admitted.diag_4_02.fillna("").str.match(r"W[01]")
    ]
    falls = falls.merge(persons[["person_id", "date_of_birth"]], on="person_id")
    falls = falls.assign(age=_age(falls.date_of_birth, falls.admidate))
    falls = falls[falls.age >= 65]
    older = pop[pop.age >= 65]
    band = lambda ages: np.minimum(ages // 5 * 5, 90)
    num = falls.groupby(band(falls.age)).size()
    den = older.groupby(band(older.age)).size()
    for b in sorted(set(num.index) | set(den.index)):
        out["falls-65-plus"][y, int(b)] = (int(num.get(b, 0)), int(den.get(b, 0)))


def _self_directed(
    out: Counts, cld: pd.DataFrame, persons: pd.DataFrame, year: int, y: str
) -> None:
    last = pd.Timestamp(year, 12, 31)
    open_then = cld[
        (cld.Client_Type == "Service user")
        & cld.Service_Type.str.startswith("Long term support:")
        & (cld.Event_Start_Date <= last)
        & (cld.Event_End_Date.isna() | (cld.Event_End_Date >= last))
    ]
    community = open_then.Service_Type == "Long term support: Community"
    mechanism = open_then.Delivery_Mechanism
    paid = (open_then.Service_Component == "Direct payment") | (mechanism == "Direct payment")
    rank = np.select(
        [
            open_then.Service_Type == "Long term support: Nursing care",
            open_then.Service_Type == "Long term support: Residential care",
            ~community,
            paid,
            mechanism == "CASSR managed personal budget",
            mechanism == "CASSR commissioned support",
        ],
        [1, 2, 7, 3, 4, 5],
        default=6,
    )
    best = open_then.assign(rank=rank).groupby("person_id")["rank"].min().reset_index()
    best = best.merge(persons[["person_id", "date_of_birth"]], on="person_id")
    birth_month = best.date_of_birth.dt.to_period("M").dt.to_timestamp()
    adults = best[((last - birth_month).dt.days // 365.25) >= 18]
    out["self-directed-support"][y, 0] = (
        int(adults["rank"].isin([3, 4]).sum()),
        int(adults["rank"].isin([3, 4, 5, 6]).sum()),
    )
