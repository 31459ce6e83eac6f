"""Saved scenarios in the service (issue 18, item 7): the demo place's scenario modelled on its
linked data with the best portfolio and the proposed variation of its pooled fund; its pages,
workbook and files; a scenario written in the form or uploaded as YAML, every problem named
beside its field with nothing kept; withdrawal, audited; and who may see and save them."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from onebudget.funds.validation import load_agreement
from onebudget.io import yamlio
from onebudget.scenarios.config import load_config
from onebudget.scenarios.interventions import read_interventions
from onebudget_web.accounts.models import User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.demo.scenarios import FILE, load_demo_scenario
from onebudget_web.scenarios.models import SavedScenario
from tests.web.conftest import demo_fund_from

BASE = "/places/fernmouth/scenarios/"
RUNS = 60  # enough for percentiles to differ; the demo itself runs 1,000


@pytest.fixture
def saved(db, demo_folders) -> SavedScenario:
    fund = demo_fund_from(demo_folders(2000))
    found = load_demo_scenario(fund.place.datasets.first(), runs=RUNS)
    assert found is not None
    return found


def person(name: str) -> User:
    return User.objects.get(username=name)


def test_the_demo_scenario_has_a_portfolio_and_a_proposed_variation(saved) -> None:
    sheets = saved.tables
    assert {"Summary", "Indicator", "Portfolio", "Optimisation", "Frontier", "Sensitivity",
            "Who pays, who gains", "Assumptions"} <= set(sheets)  # fmt: skip
    assert sheets["Optimisation"][0]["Solved"] == "yes"
    assert saved.owner.code == "QZZ"  # the ICB's analyst saved it
    proposal = saved.proposal
    assert proposal["year"] == "2025/26"
    first = [r for r in sheets["Who pays, who gains"] if r["Year"] == "2025/26"]
    paid = sum(Decimal(r["Pays, funding following the gain (£)"]) for r in first)
    borne = sum(Decimal(r["Bears (£)"]) for r in first)
    assert paid == borne  # the cost moves between partners; none is lost or made
    shares = {k: Decimal(v) for k, v in proposal["scheme"]["contributions"].items()}
    assert sum(shares.values()) == paid
    assert set(shares) == {"E06099001", "QZZ"}
    agreement = load_agreement(proposal["agreement"], source="proposed")  # the engine accepts it
    assert {s.code for s in agreement.schemes} >= {"SCN1"}
    (added,) = [c for c in proposal["changes"] if c["code"] == "SCN1"]
    assert added["kind"] == "added"
    event = AuditEvent.objects.get(action="scenario.saved")
    assert event.detail["scenario"] == 1


def test_no_published_figure_gives_back_an_unrounded_count(saved) -> None:
    """The baseline year's activity is the sum of cells each rounded to 5 (ADR 0025)."""
    baseline = [r for r in saved.tables["Activity"] if r["Year"] == "2024/25"]
    assert baseline
    for row in baseline:
        assert row["Deterministic"] % 5 == 0, row


def test_the_page_shows_the_charts_and_tables_a_board_reads(client, saved) -> None:
    client.force_login(person("finance"))  # the council's finance lead: shared with partners
    page = client.get(f"{BASE}1/").content.decode()
    assert saved.name in page
    charts = '<figure class="onebudget-chart"><svg role="img"'
    assert page.count(charts) == 3  # the fan, the frontier and the tornado
    for heading in (
        "Net saving by year",
        "Emergency admissions of people aged 65 and over",
        "Who pays, who gains",
        "The figures that matter most",
        "Assumptions",
    ):
        assert heading in page  # fmt: skip
    assert "Illustrative" in page
    assert "The proposed variation of the agreement" in page
    listed = client.get(BASE).content.decode()
    assert f'href="{BASE}1/"' in listed


def test_the_workbook_and_files_download(client, saved) -> None:
    client.force_login(person("analyst"))
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(f"{BASE}1/scenario.xlsx").content))
    assert book.sheet_names[:2] == ["Summary", "Indicator"]
    rows = book.get_sheet_by_name("Cost by partner").to_python()
    assert rows[0][:4] == ["What", "Partner", "Budget", "Year"]
    assert client.get(f"{BASE}1/scenario.yaml").content.decode() == saved.text
    variation = client.get(f"{BASE}1/variation.yaml").content.decode()
    assert variation == saved.proposal["agreement"]


@pytest.mark.parametrize("name", ["provider", "westvale"])
def test_only_the_council_and_icb_see_scenarios(client, saved, name) -> None:
    client.force_login(person(name))
    for url in (BASE, f"{BASE}1/", f"{BASE}1/scenario.xlsx", f"{BASE}new/"):
        assert client.get(url).status_code == 404, url


def form(**changed: str) -> dict[str, str]:
    fields = {
        "name": "Falls and reablement", "baseline_year": "2024", "years": "3", "runs": "100",
        "seed": "7", "growth_low": "0", "growth_central": "1", "growth_high": "2",
        "inflation_low": "2", "inflation_central": "2", "inflation_high": "2",
        "scale_falls-prevention": "100", "scale_reablement": "40", "budget": "",
        "council_budget": "", "objective": "expected",
    }  # fmt: skip
    return fields | changed


def test_a_scenario_written_in_the_form_is_modelled_and_kept_as_yaml(client, saved) -> None:
    client.force_login(person("commissioner"))
    answer = client.post(f"{BASE}new/", form())
    assert answer.status_code == 302
    kept = SavedScenario.objects.get(number=2)
    assert kept.owner.code == "E06099001"
    config = load_config(kept.text, "kept", set(read_interventions()))
    assert [(c.id, c.scale) for c in config.interventions] == [
        ("falls-prevention", 1.0), ("reablement", 0.4)
    ]  # fmt: skip
    assert config.growth.inflation.point == pytest.approx(0.02)  # a collapsed range is a point
    assert "Optimisation" not in kept.tables  # no budget given: the form's scales
    assert len(kept.tables["Summary"]) == 4


def test_the_form_sets_least_shares_and_what_each_partner_can_pay(client, saved) -> None:
    """A least share is the optimiser's minimum spend, the share its capacity; the council's
    and the ICB's budgets are written for every year; the best mix keeps within them."""
    client.force_login(person("analyst"))
    sent = form(budget="300000", council_budget="100000", icb_budget="250000",
                **{"least_falls-prevention": "20", "least_reablement": ""})  # fmt: skip
    assert client.post(f"{BASE}new/", sent).status_code == 302
    kept = SavedScenario.objects.get(number=2)
    config = load_config(kept.text, "kept", set(read_interventions()))
    assert [(c.id, c.least, c.most) for c in config.interventions] == [
        ("falls-prevention", 0.2, 1.0), ("reablement", 0.0, 0.4)
    ]  # fmt: skip
    assert config.by_partner == {
        "council": (Decimal("100000.00"),) * 3, "icb": (Decimal("250000.00"),) * 3
    }  # fmt: skip
    scales = {row["Id"]: row["Scale"] for row in kept.tables["Portfolio"]}
    assert kept.tables["Portfolio"][0]["Chosen by"] == "optimised (expected)"
    assert 0.2 - 1e-9 <= scales["falls-prevention"] <= 1 + 1e-9
    assert 0 <= scales["reablement"] <= 0.4 + 1e-9
    limits = {row["Id"]: (row["Least"], row["Most"]) for row in kept.tables["Portfolio"]}
    assert limits == {"falls-prevention": (0.2, 1.0), "reablement": (0.0, 0.4)}
    page = client.get(f"{BASE}2/").content.decode()
    assert "20.0%&nbsp;to&nbsp;100.0%" in page


def test_a_least_share_over_the_share_is_named_beside_the_services(client, saved) -> None:
    client.force_login(person("analyst"))
    sent = form(**{"least_reablement": "60", "least_falls-prevention": "x"})
    page = client.post(f"{BASE}new/", sent).content.decode()
    assert "Reablement at home: enter the least share as a number from 0 to its share, 40" in page
    assert "Falls prevention (strength and balance exercise): enter the least share" in page
    assert SavedScenario.objects.count() == 1


def test_the_form_names_each_problem_beside_its_field_and_keeps_nothing(client, saved) -> None:
    client.force_login(person("commissioner"))
    bad = form(name="", growth_low="3", growth_high="1", years="12", budget="12.345",
               **{"scale_falls-prevention": "150", "scale_reablement": ""})  # fmt: skip
    answer = client.post(f"{BASE}new/", bad)
    page = answer.content.decode()
    assert answer.status_code == 400
    for said in (
        "Enter a name for the scenario",
        "Enter a whole number from 1 to 10",
        "low, central and high rates in that order",
        "enter a share of full scale",
        "Enter an amount in pounds and pence",
    ):
        assert said in page, said  # fmt: skip
    assert 'href="#growth"' in page
    assert SavedScenario.objects.count() == 1


def test_an_uploaded_file_with_problems_is_named_line_by_line(client, saved) -> None:
    client.force_login(person("analyst"))
    text = FILE.read_text(encoding="utf-8").replace("id: reablement", "id: yoga")
    text = text.replace("baseline_year: 2024", "baseline_year: 2025")
    sent = SimpleUploadedFile("mine.yaml", text.encode())
    answer = client.post(f"{BASE}upload/", {"file": sent})
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "interventions.1.id" in page
    assert "yoga" in page
    assert SavedScenario.objects.count() == 1
    later = FILE.read_text(encoding="utf-8").replace("baseline_year: 2024", "baseline_year: 2025")
    answer = client.post(
        f"{BASE}upload/", {"file": SimpleUploadedFile("late.yaml", later.encode())}
    )
    assert answer.status_code == 400
    assert "baseline_year" in answer.content.decode()
    assert "a financial year the place" in answer.content.decode()


def test_a_viewer_may_read_but_not_save(client, saved) -> None:
    client.force_login(person("viewer"))
    assert client.get(f"{BASE}1/").status_code == 200
    assert "needs an analyst" in client.get(f"{BASE}new/").content.decode()
    assert client.post(f"{BASE}new/", form()).status_code == 403
    assert SavedScenario.objects.count() == 1


def test_withdrawing_keeps_the_scenario_and_says_why(client, saved) -> None:
    client.force_login(person("commissioner"))  # the council's: not the owner
    assert client.post(f"{BASE}1/withdraw/", {"reason": "old"}).status_code == 403
    client.force_login(person("analyst"))
    assert client.post(f"{BASE}1/withdraw/", {"reason": " "}).status_code == 400
    assert client.post(f"{BASE}1/withdraw/", {"reason": "Superseded"}).status_code == 302
    listed = client.get(BASE).content.decode()
    assert "Withdrawn scenarios" in listed
    assert "Superseded" in listed
    assert client.get(f"{BASE}1/").status_code == 200  # kept
    again = client.post(f"{BASE}1/withdraw/", {"reason": "Twice"})
    assert again.status_code == 400
    assert AuditEvent.objects.filter(action="scenario.withdrawn").count() == 1
    assert yamlio.load(saved.text, source="s")["name"] == saved.name


def test_the_api_gives_the_scenarios_to_the_council_and_icb_only(client, saved) -> None:
    client.force_login(person("finance"))
    listed = client.get("/api/places/fernmouth/scenarios").json()
    assert [(s["number"], s["owner"]["code"]) for s in listed] == [(1, "QZZ")]
    found = client.get("/api/places/fernmouth/scenarios/1").json()
    tables = {t["sheet"]: dict(zip(t["columns"], t["rows"][0], strict=True))
              for t in found["tables"]}  # fmt: skip
    assert tables["Optimisation"]["Solved"] == "yes"
    assert found["proposal"]["scheme"]["code"] == "SCN1"
    assert isinstance(tables["Summary"]["Net saving, median (£)"], str)  # exact, as text
    assert [t["sheet"] for t in found["tables"]][:3] == ["Summary", "Indicator", "Activity"]
    assert client.get("/api/places/fernmouth/scenarios/one").status_code == 404
    client.force_login(person("provider"))
    assert client.get("/api/places/fernmouth/scenarios").status_code == 404
    assert client.get("/api/places/fernmouth/scenarios/1").status_code == 404


ON_ONS = """\
name: On ONS's projection
baseline_year: 2024
years: 2
runs: 20
seed: 1
growth: {non_demographic: 0.0, inflation: 0.0}
population: {snpp: snpp.csv, area: E06099001}
interventions: [{id: falls-prevention, scale: 0}]
"""


def projection_csv(growth: float, area: str = "E06099001", bad: str | None = None) -> bytes:
    """An ONS-style projection, 2024 to 2026: every age and sex 100 people in 2024, times
    ``growth`` a year; another area's rows too (left out of what is kept)."""
    lines = ["AREA_CODE,AREA_NAME,COMPONENT,SEX,AGE_GROUP,2024,2025,2026"]
    for code in (area, "E06000001"):
        for sex in ("females", "males"):
            for age in [*map(str, range(90)), "90 and over"]:
                counts = [100 * growth**y for y in range(3)]
                lines.append(
                    f"{code},Somewhere,Population,{sex},{age},{','.join(map(str, counts))}"
                )
    if bad is not None:
        lines[3] = lines[3].rsplit(",", 1)[0] + f",{bad}"
    return ("\n".join(lines) + "\n").encode()


def upload(client, text: str, projection: bytes | None, *more: tuple[str, bytes]) -> object:
    sent: dict[str, object] = {"file": SimpleUploadedFile("ons.yaml", text.encode())}
    files = [("snpp.csv", projection)] if projection is not None else []
    files += more
    if files:
        sent["projection"] = [SimpleUploadedFile(name, body) for name, body in files]
    return client.post(f"{BASE}upload/", sent)


def yearly_activity(kept: SavedScenario) -> list[float]:
    by_year: dict[str, float] = {}
    for row in kept.tables["Activity"]:
        by_year[row["Year"]] = by_year.get(row["Year"], 0.0) + float(row["Deterministic"])
    return list(by_year.values())


def test_a_scenario_on_an_ons_projection_grows_with_it(client, saved) -> None:
    """With no other growth and no service, activity follows the projection: flat, it stays
    as it is; doubling every age each year, it doubles each year. Only the area's rows are
    kept, and they download."""
    client.force_login(person("analyst"))
    assert upload(client, ON_ONS, projection_csv(1.0)).status_code == 302
    assert upload(client, ON_ONS, projection_csv(2.0)).status_code == 302
    flat, doubling = SavedScenario.objects.get(number=2), SavedScenario.objects.get(number=3)
    assert flat.projection_source == (
        "ONS subnational population projection snpp.csv, area E06099001"
    )
    first, second = yearly_activity(flat), yearly_activity(doubling)
    assert first[1] == pytest.approx(first[0], rel=1e-3)
    assert second[1] == pytest.approx(2 * second[0], rel=1e-3)
    rows = doubling.projection_rows.splitlines()
    assert len(rows) == 1 + 2 * 91
    assert all(r.startswith("E06099001,") for r in rows[1:])
    answer = client.get(f"{BASE}3/projection.csv")
    assert answer.status_code == 200
    assert answer.content.decode() == doubling.projection_rows
    assert (
        "The ONS subnational population projection snpp.csv"
        in client.get(f"{BASE}3/").content.decode()
    )
    assert client.get(f"{BASE}1/projection.csv").status_code == 404  # national rates: none
    lines = projection_csv(2.0).decode().splitlines()
    females = "\n".join(line for line in lines if ",females," in line or line.startswith("AREA"))
    males = "\n".join(line for line in lines if ",males," in line or line.startswith("AREA"))
    answer = upload(client, ON_ONS, None, ("f.csv", females.encode()), ("m.csv", males.encode()))
    assert answer.status_code == 302
    by_sex = SavedScenario.objects.get(number=4)
    assert by_sex.projection_rows == doubling.projection_rows
    assert yearly_activity(by_sex) == second
    assert by_sex.projection_source.endswith("f.csv, m.csv, area E06099001")
    shown = client.get(BASE).content.decode()
    assert "Net saving over the years (deterministic run)" in shown
    amounts = re.findall(r"(?:−\u2060)?£[\d,.]+(?=</td>)", shown)
    assert len(amounts) == 4  # one a scenario, each in whole pounds
    assert all("." not in a for a in amounts), amounts
    listed = client.get("/api/places/fernmouth/scenarios").json()
    assert [s["population"] for s in listed] == [
        by_sex.projection_source,
        doubling.projection_source,
        flat.projection_source,
        "national rates of birth and death",
    ]
    event = AuditEvent.objects.filter(action="scenario.saved").order_by("-pk").first()
    assert event is not None
    assert event.detail["projection"] == "f.csv, m.csv"


@pytest.mark.parametrize(
    ("text", "projection", "said"),
    [
        (
            ON_ONS,
            projection_csv(1.0, bad="-5"),
            "snpp.csv, row 4, column 2026: &#x27;-5&#x27;: a number of persons",
        ),
        (ON_ONS, None, "Choose the ONS projection file the scenario names (snpp.csv)"),
        (ON_ONS, projection_csv(1.0, area="E06000002"), "snpp.csv, row 1, column AREA_CODE"),
        (ON_ONS.replace("years: 2", "years: 5"), projection_csv(1.0), "2024 to 2029 is outside"),
        (FILE.read_text(encoding="utf-8"), projection_csv(1.0), "population is national"),
    ],
    ids=["bad count", "no file", "no rows for the area", "too short", "national"],
)
def test_a_projection_with_problems_is_named_and_nothing_kept(
    client, saved, text: str, projection: bytes | None, said: str
) -> None:
    client.force_login(person("analyst"))
    answer = upload(client, text, projection)
    page = answer.content.decode()
    assert answer.status_code == 400
    assert said in page, page[page.find("error-summary") :][:1500]
    assert 'href="#projection-file"' in page
    assert SavedScenario.objects.count() == 1
