"""Documentation of each indicator, generated from its definition (never written by hand).

python -m onebudget.outcomes.docs docs/indicators
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from onebudget.outcomes.definitions import Indicator, indicators

HOW_TO_ADD = """\
## How to add an indicator

1. Write `src/onebudget/definitions/indicators/<id>.yaml`: copy the closest existing file.
   Give its owner, source (the published specification) and review dates.
2. Describe the numerator and denominator as measures: `count`, `sum` (with `column`;
   with `days_from:` a second date, the days from it to `column`), `persons` (distinct
   people; add `end:` for services that run over an interval, and
   `snapshot: true` for those open on the period's last day), `population` (people alive
   on 30 June, the ONS mid-year date), `highest` (people once each by the highest of named
   `tiers` their rows reach, counting the tiers named in `count`), `followed_by` (index rows
   followed, or with `negate: true` not followed, by an outcome 1 to `days` days later), or
   `spend` (a list of sources with a money `column`, in whole pence; `per_days: 7` with
   `end:` charges a weekly price for the days a service ran in the period).
   A source may add `age_on` (`date`, `end`, `period_mid`, `period_last_day`), `related`
   (`has` or `has_no` a row of other sources with each relation of `when` holding, such as
   `"date < Event_Start_Date"` or `"end > Event_Start_Date - 365"`; an empty end is a row
   still running), `cluster` (episodes of the person's `members` rows, a row joining when
   it starts at most `gap_days` after the latest end so far) and `values` (named values read
   in its conditions as `{value: name, in: [...]}`: `first_related` (a column of the first
   related row by an `order`), `best_of` (by a `rank`), `when`/`then` and `first_of`; see
   `short-term-no-further-request.yaml`).
   Conditions: `{column: C, is: V}`, `is_not`, `in: [...]`, `not_in`, `starts_with: [...]`,
   `at_least`, `below`, `is_empty: true|false`, `{age_at_least: N}`, `{age_below: N}`,
   `{cld_age_at_least: N}`, `{cld_age_below: N}` (DHSC's age from CLD: days since the first
   of the birth month over 365.25), and `all: [...]`, `any: [...]`, `not: {...}`. A list
   means all of them.
3. Choose `method`: `proportion` (Wilson interval), `rate` (Byar's interval) or `dsr`
   (directly standardised to the 2013 European Standard Population, Dobson's interval),
   or `mean` (a `spend` over a count, in pounds: a whole population's figure, no interval).
4. Run `python -m onebudget.outcomes.docs docs/indicators` and the tests: the definition is
   validated against the dataset schema on load, and every engine computes it.
"""


def indicator_page(indicator: Indicator) -> str:
    spec = indicator.spec
    lines = [
        f"# {spec.name}",
        "",
        f"`{spec.id}` · {spec.framework}" + (f" · {spec.reference}" if spec.reference else ""),
        "",
        spec.description.strip(),
        "",
        *(
            ["**Interim**: not yet the published method in full; see the notes.", ""]
            if spec.interim
            else []
        ),
        "| | |",
        "|---|---|",
        f"| Unit | {spec.unit} |",
        f"| Method | {spec.method} |",
        f"| Polarity | {spec.polarity} |",
        f"| Breakdowns | {', '.join(spec.breakdowns) or 'none'} |",
        f"| Owner | {spec.owner} |",
        f"| Source | {spec.source} |",
        f"| Reviewed | {spec.reviewed} (next review by {spec.review_by}) |",
        "",
        "## Numerator",
        "",
        "```yaml",
        _yaml(spec.numerator),
        "```",
        "",
        "## Denominator",
        "",
        "```yaml",
        _yaml(spec.denominator),
        "```",
        "",
    ]
    if spec.notes:
        lines += ["## Notes", "", spec.notes.strip(), ""]
    lines += [
        "Disclosure control applies to every published figure: counts of 1 to 7 are "
        "suppressed and others rounded to the nearest 5.",
        "",
    ]
    return "\n".join(lines)


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, width=90).strip()


def index_page() -> str:
    rows = [
        f"| [{i.spec.name}]({i.id}.md) | {i.spec.framework} | {i.spec.unit} |"
        for i in indicators().values()
    ]
    return "\n".join(
        [
            "# Indicators",
            "",
            "Generated from `src/onebudget/definitions/indicators/`.",
            "",
            "| indicator | framework | unit |",
            "|---|---|---|",
            *rows,
            "",
            HOW_TO_ADD,
        ]
    )


def pages() -> dict[str, str]:
    found = {f"{i.id}.md": indicator_page(i) for i in indicators().values()}
    return {"README.md": index_page(), **found}


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (folder / name).write_text(text)


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/indicators"))
