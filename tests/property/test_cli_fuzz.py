"""Broken files given to the ``onebudget`` command end in named problems and exit code 2.

For every format the command reads (a Section 75 agreement, monthly actuals as CSV and
XLSX, a partner's spend mapping and its ledger as CSV and XLSX, a budget configuration,
NHS England's session JSON), generated documents (a good file with cells or values of the
wrong kind, wrong headers, extra and missing columns, duplicated rows, noise, bytes that are
not text, broken workbooks) are given to the command as a person would give them. The
library's own loader decides whether the document is broken: if it is, the command exits 2;
if not (a mutation can leave a file valid), it exits 0 (or 2 for a later check). Either way
there is no traceback, no exception but ``SystemExit``, and no output that repeats a value
at length.

Indicator definitions are not read from a person's file by any command (``onebudget
indicators`` computes the shipped ones), so they are fuzzed through the library's loader
only, in ``test_yaml_fuzz``.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from click.testing import Result
from hypothesis import (
    HealthCheck,
    currently_in_test_context,
    event,
    example,
    given,
    settings,
)
from hypothesis import strategies as st
from typer.testing import CliRunner

from onebudget.allocation.budget import BudgetError, allocate_budget, load_budget
from onebudget.allocation.places import PlacesError, read_session
from onebudget.allocation.targets import AllocationError
from onebudget.cli.main import app
from onebudget.funds.actuals import ActualsError, read_actuals
from onebudget.funds.agreement import AgreementError
from onebudget.funds.validation import load_agreement, read_agreement
from onebudget.io import yamlio
from onebudget.io.excel import FIXED_CREATED
from onebudget.io.tables import TableError, read_table
from onebudget.spend.mapping import (
    EXAMPLES,
    LedgerFileError,
    MappingError,
    read_ledger,
    read_mapping,
)
from tests.property.test_yaml_fuzz import AGREEMENT, odd_values, paths, replaced, shipped, yamlish

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
runner = CliRunner()
MAX_OUTPUT = 20_000


# -- what every run must look like ----------------------------------------------------------


def run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def ended_in_named_problems(result: Result, *, refused: bool) -> None:
    """Exit 2 when the library refuses the file; otherwise 0 (or 2 for a later check).
    Never a traceback or another exception, and never output that repeats a file at length."""
    if currently_in_test_context():
        event("refused by the library" if refused else "taken by the library")
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        raise result.exception.with_traceback(result.exc_info[2])  # reported as itself
    assert "Traceback" not in output, output[-2_000:]
    assert len(output) < MAX_OUTPUT, output[:2_000]
    assert result.exit_code == 2 if refused else result.exit_code in (0, 2), (
        result.exit_code,
        output[-2_000:],
    )


def refuses(read: Callable[[], object], *errors: type[Exception]) -> bool:
    """Whether the library refuses a file with one of its own errors."""
    try:
        read()
    except errors:
        return True
    return False


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-fuzz")


def folder(base: Path) -> Path:
    """A new folder for one example (``tmp_path`` would be one folder for all of a test's
    examples)."""
    return Path(tempfile.mkdtemp(dir=base))


# -- tables: a good table broken a few ways, written as CSV or XLSX --------------------------

# Cell text people and spreadsheets produce, with what testers found: amounts too large or
# in exponent form, 29 digits, other scripts' digits, months and years written other ways
ODD_CELLS = [
    *("", " ", "1e400", "1e30", "1E+6", "1" * 29, "9" * 30, "0.1", "12.345", "-0", "+5"),
    *("92233720368547758.07", "-92233720368547758.08", "(3.00)", "£1,000.00", "12,34"),
    *("NaN", "inf", "fifty", "10%", "TRUE", "#N/A", "=SUM(A1:A9)", "@x", "1_000"),
    *("2025-13", "2025-00", "2025-04-01", "2026-03", "2024-04", "04/2025", "2025-4"),
    *("2025/26", "2024/25", "2025/27", "2025-2026", "2025 / 26", "２０２５/２６", "٢٠٢٥-٠٤"),
    *("S1", "S2", "S9", "A", "B", "Z", "W3110", "202504", "202513", "I9310", "S75-2025-04"),
    *("\x00", "\u202e", "\ufeff", "a\nb", '"', ",", ";", "é" * 40, "🙂", "x" * 300),
]
cell_text = st.one_of(
    st.sampled_from(ODD_CELLS),
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
# What a workbook's cell holds besides text: numbers, dates, booleans, nothing
cell_value = st.one_of(
    cell_text,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.1 + 0.2, 1e300, -1e-300, 202504.0, 84210.55, 2025.26]),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.none(),
)

Rows = list[list[Any]]


@st.composite
def broken_table(draw: st.DrawFn, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Rows:
    """The good table (header first) with one to five things done to it."""
    table: Rows = [list(header), *(list(r) for r in rows)]
    for _ in range(draw(st.integers(1, 5))):
        what = draw(
            st.sampled_from(
                [
                    "cell",
                    "cell",
                    "cell",
                    "heading",
                    "drop column",
                    "extra column",
                    "duplicate row",
                    "drop row",
                    "short row",
                    "long row",
                    "blank row",
                    "shuffle header",
                ]
            )
        )
        width = max(len(r) for r in table)
        r = draw(st.integers(0, len(table) - 1))
        c = draw(st.integers(0, max(width - 1, 0)))
        if what == "cell" and len(table) > 1:
            row = table[draw(st.integers(1, len(table) - 1))]
            row[:] = [*row, *[""] * (c + 1 - len(row))]
            row[c] = draw(cell_value)
        elif what == "heading":
            table[0][:] = [*table[0], *[""] * (c + 1 - len(table[0]))]
            table[0][c] = draw(st.one_of(cell_text, st.sampled_from([h.upper() for h in header])))
        elif what == "drop column":
            for row in table:
                del row[c : c + 1]
        elif what == "extra column":
            for i, row in enumerate(table):
                row.insert(c, draw(cell_text) if i == 0 else draw(cell_value))
        elif what == "duplicate row":
            table.insert(r, list(table[r]))
        elif what == "drop row" and len(table) > 1:
            del table[r]
        elif what == "short row":
            del table[r][c:]
        elif what == "long row":
            table[r] += draw(st.lists(cell_value, min_size=1, max_size=3))
        elif what == "blank row":
            table.insert(r, [])
        elif what == "shuffle header":
            table[0] = draw(st.permutations(table[0]))
    return table


def text_of(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "" if value is None else str(value)


def csv_bytes(table: Rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([text_of(v) for v in r] for r in table)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


def xlsx_bytes(table: Rows) -> bytes:
    """A workbook as a spreadsheet writes one: numbers, dates and booleans as themselves."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": FIXED_CREATED})  # the same table, the same bytes
    sheet = book.add_worksheet("Actuals")
    dated = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif isinstance(value, datetime | date):
                sheet.write_datetime(r, c, value, dated)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


@st.composite
def table_file(
    draw: st.DrawFn, header: Sequence[str], rows: Sequence[Sequence[Any]], kind: str
) -> bytes:
    """A broken table as the bytes of a .csv or .xlsx file; now and then bytes that are not
    one at all (another encoding, a cut or damaged workbook, noise)."""
    table = draw(broken_table(header, rows))
    good = csv_bytes(table) if kind == "csv" else xlsx_bytes(table)
    how = draw(st.sampled_from(["as is"] * 6 + ["encoding", "cut", "damaged", "noise", "empty"]))
    if how == "encoding" and kind == "csv":
        encoding = draw(st.sampled_from(["utf-16", "latin-1", "cp1252"]))
        return good.decode("utf-8").encode(encoding, errors="replace")
    if how == "cut":
        return good[: draw(st.integers(0, len(good)))]
    if how == "damaged" and good:
        at = draw(st.integers(0, len(good) - 1))
        return good[:at] + bytes([good[at] ^ draw(st.integers(1, 255))]) + good[at + 1 :]
    if how == "noise":
        return draw(st.binary(max_size=300))
    if how == "empty":
        return b""
    return good


# -- monthly actuals -------------------------------------------------------------------------

ACTUALS_HEADER = ["scheme_code", "month", "actual", "partner_code", "forecast_outturn"]
ACTUALS_HEADER += ["financial_year"]
ACTUALS_ROWS = [
    ["S1", "2025-04", "1000.00", "", "", "2025/26"],
    ["S1", "2025-05", "2000.00", "", "150000.00", "2025/26"],
    ["S2", "2025-04", "5.00", "A", "", "2025/26"],
    ["S1", "2026-03", "-10.50", "", "", "2025-26"],
    ["S1", "2024-04", "10.00", "", "", "2024/25"],
]


@pytest.fixture(scope="module")
def agreement_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("agreement") / "agreement.yaml"
    path.write_text(AGREEMENT, encoding="utf-8")
    return path


def test_the_good_tables_settle(base: Path, agreement_file: Path) -> None:
    """The fuzzing starts from files the command takes, so a refusal is the mutation's."""
    for kind, to_bytes in (("csv", csv_bytes), ("xlsx", xlsx_bytes)):
        path = folder(base) / f"actuals.{kind}"
        path.write_bytes(to_bytes([ACTUALS_HEADER, *ACTUALS_ROWS]))
        result = run("fund", "settle", "--agreement", agreement_file, "--actuals", path)
        assert result.exit_code == 0, result.output
        assert "1 row of 2024/25 left out" in result.output


def test_a_damaged_workbook_is_a_named_problem(base: Path, agreement_file: Path) -> None:
    """A byte changed inside a workbook's first member: zipfile's checksum or inflate error
    was a traceback (the check for XML entities reads every member first)."""
    good = xlsx_bytes([ACTUALS_HEADER, *ACTUALS_ROWS])
    at = good.index(b"[Content_Types].xml") + len("[Content_Types].xml") + 20
    path = folder(base) / "actuals.xlsx"
    path.write_bytes(good[:at] + bytes([good[at] ^ 0xFF]) + good[at + 1 :])
    with pytest.raises(TableError, match=r"^actuals\.xlsx: \[Content_Types\]\.xml: .*damaged"):
        read_table(path)
    result = run("fund", "settle", "--agreement", agreement_file, "--actuals", path)
    ended_in_named_problems(result, refused=True)


@settings(FUZZ, max_examples=40)
@given(
    kind=st.sampled_from(["csv", "xlsx"]),
    command=st.sampled_from(["settle", "report"]),
    data=st.data(),
)
def test_broken_actuals_are_named_problems(
    base: Path, agreement_file: Path, kind: str, command: str, data: Any
) -> None:
    content = data.draw(table_file(ACTUALS_HEADER, ACTUALS_ROWS, kind))
    path = folder(base) / f"actuals.{kind}"
    path.write_bytes(content)
    agreement = read_agreement(agreement_file)
    refused = refuses(lambda: read_actuals(path, agreement), ActualsError, TableError)
    more = ["--quarter", "4"] if command == "report" else []
    result = run("fund", command, "--agreement", agreement_file, "--actuals", path, *more)
    ended_in_named_problems(result, refused=refused)


# Each figure is money, but the year adds up to more than a whole may: refused by row
BEYOND_WHAT_MONEY_HOLDS = [
    [["S1", "2025-04", "92233720368547758.07"], ["S1", "2025-05", "92233720368547758.07"]],
    [["S1", "2025-04", "-92233720368547758.07"]],
]


@pytest.mark.parametrize("rows", BEYOND_WHAT_MONEY_HOLDS, ids=["overspend", "underspend"])
@pytest.mark.parametrize("command", ["settle", "report"])
def test_actuals_adding_up_to_more_than_money_holds_are_a_named_problem(
    base: Path, agreement_file: Path, rows: Rows, command: str
) -> None:
    path = folder(base) / "actuals.csv"
    path.write_bytes(
        csv_bytes(
            [["scheme_code", "month", "actual", "partner_code"]]
            + [[*r, ""] for r in rows]
            + [["S2", "2025-04", "5.00", "A"]]
        )
    )
    more = ["--quarter", "4"] if command == "report" else []
    result = run("fund", command, "--agreement", agreement_file, "--actuals", path, *more)
    ended_in_named_problems(result, refused=True)
    assert "add up to more than £46,116,860,184,273,879.03" in " ".join(result.output.split())


# -- YAML documents: a good one broken as test_yaml_fuzz breaks them -------------------------

# Numbers at the edges of what a rule allows, for a document's numeric places
edge_numbers = st.one_of(
    st.sampled_from([0, -1, 1, 2, 10**17, -(10**17), 10**30, -(2**63)]),
    st.sampled_from(["0.000001", "-0.01", "1.5", "-92233720368547758.07", "1e-30", "1e400"]),
    st.decimals(min_value=-(10**18), max_value=10**18, allow_nan=False, places=2),
)


@st.composite
def broken_yaml(draw: st.DrawFn, good: str) -> bytes:
    """A good YAML document with a value replaced (by one of the wrong kind, or a number at
    an edge), noise spliced in, noise alone, or bytes that are not UTF-8 text."""
    how = draw(st.sampled_from(["value", "value", "number", "splice", "noise", "bytes"]))
    if how in ("value", "number"):
        data = yamlio.load(good)
        where = draw(st.sampled_from(paths(data)))
        value = draw(odd_values if how == "value" else edge_numbers)
        return yamlio.dump(replaced(data, where, value)).encode("utf-8", errors="surrogatepass")
    if how == "splice":
        at = draw(st.integers(0, len(good)))
        cut = draw(st.integers(0, 40))
        text = good[:at] + draw(yamlish) + good[at + cut :]
        return text.encode("utf-8", errors="surrogatepass")
    if how == "noise":
        return draw(yamlish).encode("utf-8")
    return draw(st.sampled_from([b"\xff\xfe", b"caf\xe9: 1\n", b"\x80"])) + good.encode()


def utf8(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


# -- the agreement ---------------------------------------------------------------------------


@FUZZ
@given(broken_yaml(AGREEMENT))
def test_a_broken_agreement_is_named_problems(base: Path, content: bytes) -> None:
    path = folder(base) / "agreement.yaml"
    path.write_bytes(content)
    text = utf8(path)
    refused = text is None or refuses(lambda: load_agreement(text), AgreementError)
    ended_in_named_problems(run("fund", "check", "--agreement", path), refused=refused)


# -- a partner's spend mapping and its ledger ------------------------------------------------

WESTVALE = Path(str(EXAMPLES)) / "westvale"
MAPPING = (WESTVALE / "E06099002.yaml").read_text(encoding="utf-8")
LEDGER = WESTVALE / "westvale_ledger_2025-26.csv"
LEDGER_HEADER, *LEDGER_ROWS = list(csv.reader(LEDGER.read_text(encoding="utf-8").splitlines()))[2:]


def spend_folders(base: Path, mapping: bytes, ledger: bytes, ledger_name: str) -> tuple[Path, Path]:
    at = folder(base)
    (at / "mapping").mkdir()
    (at / "ledgers").mkdir()
    (at / "mapping" / "E06099002.yaml").write_bytes(mapping)
    (at / "ledgers" / ledger_name).write_bytes(ledger)
    return at / "mapping", at / "ledgers"


def spend_refused(mappings: Path, ledgers: Path) -> bool:
    def read() -> None:
        read_ledger(ledgers, read_mapping(mappings / "E06099002.yaml"))

    if utf8(mappings / "E06099002.yaml") is None:
        return True
    return refuses(read, MappingError, LedgerFileError, TableError)


def run_spend(mappings: Path, ledgers: Path) -> Result:
    out = mappings.parent / "spend.xlsx"
    return run("spend", "--ledgers", ledgers, "--mapping", mappings, "--out", out)


def test_the_good_mapping_and_ledgers_are_read(base: Path) -> None:
    for kind, to_bytes in (("csv", csv_bytes), ("xlsx", xlsx_bytes)):
        mapping = _ledger_mapping(kind).encode()
        found = spend_folders(base, mapping, to_bytes([LEDGER_HEADER, *LEDGER_ROWS]), f"gl.{kind}")
        result = run_spend(*found)
        assert result.exit_code == 0, result.output
        assert f"{len(LEDGER_ROWS)} lines" in result.output


def _ledger_mapping(kind: str) -> str:
    """Westvale's mapping, for a ledger file ``gl.<kind>`` with its header on the first row."""
    old = "  file: westvale_ledger_2025-26.csv\n  header_row: 3\n"
    assert old in MAPPING
    return MAPPING.replace(old, f"  file: gl.{kind}\n")


@FUZZ
@given(broken_yaml(MAPPING))
@example(b"\xff\xfe" + MAPPING.encode()).via("not UTF-8: was a UnicodeDecodeError")
def test_a_broken_spend_mapping_is_named_problems(base: Path, content: bytes) -> None:
    found = spend_folders(base, content, LEDGER.read_bytes(), LEDGER.name)
    refused = spend_refused(*found)
    result = run_spend(*found)
    ended_in_named_problems(result, refused=refused)
    assert result.exit_code == (2 if refused else 0), result.output[-2_000:]


@FUZZ
@given(kind=st.sampled_from(["csv", "xlsx"]), data=st.data())
def test_a_broken_ledger_is_named_problems(base: Path, kind: str, data: Any) -> None:
    content = data.draw(table_file(LEDGER_HEADER, LEDGER_ROWS, kind))
    found = spend_folders(base, _ledger_mapping(kind).encode(), content, f"gl.{kind}")
    refused = spend_refused(*found)
    result = run_spend(*found)
    ended_in_named_problems(result, refused=refused)
    assert result.exit_code == (2 if refused else 0), result.output[-2_000:]


# -- a budget configuration ------------------------------------------------------------------

BUDGET = shipped("allocation", "west-yorkshire-2025-26.yaml")
# A negative baseline, grown by the floor, left more to share than money holds: it was a
# MoneyError (a traceback); a baseline is now 0 or more, a named problem on load
NEGATIVE_BASELINE = (
    BUDGET.replace("Bradford: 1250000000.00", "Bradford: -92233720368547758.07")
    .replace("{floor: 0.01, cap: 0.06}", "{floor: 0.5}")
    .encode()
)


def budget_refused(path: Path) -> bool:
    text = utf8(path)
    if text is None:
        return True
    return refuses(
        lambda: allocate_budget(load_budget(text, source=path.name)), BudgetError, AllocationError
    )


@settings(FUZZ, max_examples=40)
@given(broken_yaml(BUDGET))
@example(NEGATIVE_BASELINE)
@example(b"\xff\xfe" + BUDGET.encode()).via("not UTF-8: was a UnicodeDecodeError")
def test_a_broken_budget_configuration_is_named_problems(base: Path, content: bytes) -> None:
    path = folder(base) / "budget.yaml"
    path.write_bytes(content)
    result = run("allocate", "budget", "--config", path, "--out", path.with_suffix(".xlsx"))
    ended_in_named_problems(result, refused=budget_refused(path))


def test_a_negative_baseline_is_a_named_problem() -> None:
    with pytest.raises(BudgetError) as caught:
        load_budget(NEGATIVE_BASELINE.decode(), source="b.yaml")
    assert [p.path for p in caught.value.problems] == ["baseline.Bradford"]


# -- NHS England's session JSON --------------------------------------------------------------

# Two places as NHS England's tool saves them (``write_session`` writes the same)
SESSION = json.dumps(
    {
        "Huddersfield South": {
            "gps": ["B85005: SHEPLEY PRIMARY CARE LIMITED", "B85022: HONLEY SURGERY"],
            "icb": "NHS West Yorkshire ICB",
            "year": "2025_2026",
        },
        "Kirklees East": {
            "gps": ["B85026: KIRKBURTON HEALTH CENTRE", "B85061: SKELMANTHORPE FAMILY DOCTORS"],
            "icb": "NHS West Yorkshire ICB",
            "year": "2025_2026",
        },
        "places": ["Huddersfield South", "Kirklees East"],
    },
    indent=4,
)
json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=False),
        st.text(max_size=12),
        st.sampled_from(["B85005", "B85005: x", "Z99999: gone", "NHS West Yorkshire ICB", ""]),
        st.sampled_from(["places", "group_list", "gps", "icb", "Huddersfield South"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
json_noise = st.text(
    st.sampled_from(list('{}[]:,"\\ \n.eE+-0123456789abcnulltruefs')), max_size=200
)


# Names a place cannot have, as JSON can write them: a NUL, half a surrogate pair, too long
ODD_NAMES = ["a\x00b", "\ud800", "L" * 101, " ", "line\nbreak", "\u202e", "x" * 5_000]
odd_names = st.one_of(
    st.sampled_from(ODD_NAMES),
    st.text(st.characters(categories=["Cc", "Cs", "Zs", "Lo"]), min_size=1, max_size=3),
)


def renamed(session: str, name: str) -> bytes:
    """The session with its first place named ``name`` (JSON escapes what it must)."""
    data = json.loads(session)
    first = data["places"][0]
    data[name] = data.pop(first)
    data["places"][0] = name
    return json.dumps(data).encode()


@st.composite
def broken_session(draw: st.DrawFn) -> bytes:
    how = draw(
        st.sampled_from(["value", "value", "name", "splice", "noise", "bytes", "deep", "long"])
    )
    if how == "name":
        return renamed(SESSION, draw(odd_names))
    if how == "value":
        data = json.loads(SESSION)
        where = draw(st.sampled_from(paths(data)))
        return json.dumps(replaced(data, where, draw(json_values))).encode()
    if how == "splice":
        at = draw(st.integers(0, len(SESSION)))
        cut = draw(st.integers(0, 40))
        return (SESSION[:at] + draw(json_noise) + SESSION[at + cut :]).encode()
    if how == "noise":
        return draw(json_noise).encode()
    if how == "bytes":
        return draw(st.sampled_from([b"\xff\xfe", b'{"caf\xe9": 1}', b"\x80"])) + SESSION.encode()
    if how == "deep":
        depth = draw(st.sampled_from([100, 5_000, 100_000]))
        return ("[" * depth + "]" * depth).encode()
    digits = draw(st.sampled_from([4_300, 4_301, 10_000]))
    return SESSION.replace('"places": [', f'"n": {"9" * digits}, "places": [').encode()


def session_refused(path: Path) -> bool:
    text = utf8(path)
    if text is None:
        return True
    return refuses(lambda: read_session(text, year="2025/26", source=path.name), PlacesError)


def test_the_good_session_gives_indices(base: Path) -> None:
    path = folder(base) / "session.json"
    path.write_text(SESSION, encoding="utf-8")
    result = run("allocate", "indices", "--year", "2025/26", "--session", path)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("index,icb,Huddersfield South,Kirklees East\n")


@FUZZ
@given(broken_session())
@example(b"\xff\xfe{}").via("not UTF-8")
@example(renamed(SESSION, "a\x00b")).via("a NUL in a name")
@example(renamed(SESSION, "\ud800")).via("half a surrogate pair for a name")
@example(renamed(SESSION, "L" * 101)).via("a name too long to keep")
@example(SESSION.replace('"places": [', f'"n": {"9" * 5_000}, "places": [').encode()).via(
    "a number too long to read"
)
def test_a_broken_session_is_named_problems(base: Path, content: bytes) -> None:
    path = folder(base) / "session.json"
    path.write_bytes(content)
    result = run("allocate", "indices", "--year", "2025/26", "--session", path)
    ended_in_named_problems(result, refused=session_refused(path))
