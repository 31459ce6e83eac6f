"""The benchmark's comparators: the same six indicators as hand-written DuckDB SQL and as
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
MID = "make_date(y.y, 7, 2)"
ALIVE = f"p.date_of_birth <= {MID} AND (p.date_of_death IS NULL OR p.date_of_death > {MID})"

POPULATION = f"SELECT y.y, 0, count(*) FROM t_persons p, {YEARS_SQL} WHERE {ALIVE} GROUP BY ALL"
DISCHARGES = (
    "SELECT year(disdate), 0, count(*) FROM t_apc_spells WHERE admimeth LIKE '2%' "
    "AND disdest <> '79' AND year(disdate) BETWEEN 2023 AND 2025 GROUP BY ALL"
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
    "direct-payments": (
        "SELECT y.y, 0, count(DISTINCT person_id) FROM t_asc_cld, "
        + YEARS_SQL
        + " WHERE Service_Type = 'Long Term Support: Community' AND Delivery_Mechanism = "
        "'Direct Payment' AND Event_Start_Date < make_date(y.y + 1, 1, 1) AND "
        "(Event_End_Date IS NULL OR Event_End_Date >= make_date(y.y, 1, 1)) GROUP BY ALL",
        "SELECT y.y, 0, count(DISTINCT person_id) FROM t_asc_cld, "
        + YEARS_SQL
        + " WHERE Service_Type = 'Long Term Support: Community' AND Event_Start_Date < "
        "make_date(y.y + 1, 1, 1) AND (Event_End_Date IS NULL OR Event_End_Date >= "
        "make_date(y.y, 1, 1)) GROUP BY ALL",
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
    mid = pd.Timestamp(year, 7, 2)
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
        _direct_payments(out, cld, year, y)
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


def _direct_payments(out: Counts, cld: pd.DataFrame, year: int, y: str) -> None:
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1)
    community = cld[
        (cld.Service_Type == "Long Term Support: Community")
        & (cld.Event_Start_Date < end)
        & (cld.Event_End_Date.isna() | (cld.Event_End_Date >= start))
    ]
    paid = community[community.Delivery_Mechanism == "Direct Payment"]
    out["direct-payments"][y, 0] = (paid.person_id.nunique(), community.person_id.nunique())
