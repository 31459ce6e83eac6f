"""``onebudget bcf fund``: the agreement from an agreed plan, as YAML that ``fund check``
accepts; a plan with problems refused with every one of them (exit 2); never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from onebudget.cli.main import app
from onebudget.funds.validation import load_agreement, read_agreement
from onebudget.io import yamlio
from tests.spec.bcf.test_plan_checks import WORKED, worked

runner = CliRunner()
HOST = ["--host", "E10099001", "--pool-manager", "Head of Integrated Care, Westvale"]


def written(tmp_path: Path, data: dict[str, Any]) -> Path:
    out = tmp_path / "plan.yaml"
    out.write_text(yamlio.dump(data), encoding="utf-8")
    return out


def test_the_agreement_is_printed_as_yaml_the_funds_engine_loads() -> None:
    result = runner.invoke(app, ["bcf", "fund", str(WORKED), *HOST])
    assert result.exit_code == 0, result.output
    agreement = load_agreement(result.stdout)
    assert [s.code for s in agreement.schemes][:2] == ["BCF-S01", "BCF-S02"]
    # the gaps of the shipped definitions are said, and the totals by partner
    assert "scheme type taxonomy not published" in result.stderr
    assert "QZZ £10,000,000.00, E10099001 £6,750,000.00" in result.stderr


def test_written_to_a_file_that_fund_check_reads(tmp_path: Path) -> None:
    out = tmp_path / "agreement.yaml"
    result = runner.invoke(app, ["bcf", "fund", str(WORKED), *HOST, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert read_agreement(out).fund_contributions()["QZZ"] == 10_000_000
    checked = runner.invoke(app, ["fund", "check", "--agreement", str(out)])
    assert checked.exit_code == 0, checked.output


def test_the_overspend_basis_can_be_the_whole_fund() -> None:
    result = runner.invoke(app, ["bcf", "fund", str(WORKED), *HOST, "--overspend-basis", "fund"])
    assert result.exit_code == 0, result.output
    scheme = load_agreement(result.stdout).schemes[0]
    assert scheme.overspend == {"rule": "pro_rata", "basis": "fund"}


def test_a_plan_with_a_stream_not_fully_planned_is_refused_on_its_line(tmp_path: Path) -> None:
    data = worked()
    data["schemes"][3]["spend"] = "4876543.21"
    plan = written(tmp_path, data)
    out = tmp_path / "agreement.yaml"
    result = runner.invoke(app, ["bcf", "fund", str(plan), *HOST, "--out", str(out)])
    assert result.exit_code == 2
    assert "allocations.la_better_care_grant [£123,456.79 short]" in result.stdout
    assert "line " in result.stdout
    assert not out.exists()


def test_a_host_that_is_not_a_partner_is_a_clear_error() -> None:
    result = runner.invoke(
        app, ["bcf", "fund", str(WORKED), "--host", "E07099001", "--pool-manager", "X"]
    )
    assert result.exit_code == 2
    assert "host: the host is one of the partners (found: 'E07099001')" in result.stdout
    assert "Traceback" not in result.output


def test_an_unreadable_plan_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["bcf", "fund", str(tmp_path / "nope.yaml"), *HOST])
    assert result.exit_code == 2
    assert "cannot be read" in result.output
    assert "Traceback" not in result.output


def signed(tmp_path: Path) -> Path:
    out = tmp_path / "agreement.yaml"
    assert runner.invoke(app, ["bcf", "fund", str(WORKED), *HOST, "--out", str(out)]).exit_code == 0
    return out


DATES = ["--effective", "2025-10-01", "--agreed-on", "2025-07-01", "--agreed-by", "Both"]


def test_a_new_plan_version_is_written_as_variations(tmp_path: Path) -> None:
    data = worked()
    data["schemes"][0]["spend"] = "4256000.00"  # S01 +100,000.00
    data["schemes"][1]["spend"] = "3100000.00"  # S02 -100,000.00
    plan, out = written(tmp_path, data), tmp_path / "varied.yaml"
    args = ["bcf", "vary", str(signed(tmp_path)), str(plan), *DATES, "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    fund = read_agreement(out)
    assert [(v.id, v.scheme, str(v.change)) for v in fund.variations] == [
        ("V1", "BCF-S01", "100000.00"),
        ("V2", "BCF-S02", "-100000.00"),
    ]


def test_a_withdrawal_without_a_years_notice_is_refused_by_the_agreements_rule(
    tmp_path: Path,
) -> None:
    data = worked()
    data["allocations"]["additional_icb"] = data["allocations"].pop("additional_council")
    data["schemes"][5]["source"] = "additional_icb"
    args = ["bcf", "vary", str(signed(tmp_path)), str(written(tmp_path, data)), *DATES]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "a withdrawal needs 12 months' notice; 3 given" in result.stdout
    assert "Traceback" not in result.output


def test_a_new_scheme_is_refused_as_no_variation(tmp_path: Path) -> None:
    data = worked()
    data["schemes"][5]["spend"] = "200000.00"
    data["schemes"].append({**data["schemes"][5], "id": "S07", "spend": "50000.00"})
    args = ["bcf", "vary", str(signed(tmp_path)), str(written(tmp_path, data)), *DATES]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "schemes: a scheme new in this plan version" in result.stdout
