"""The place's spend page: every partner's ledger mapped, transfers eliminated once, each
ledger reconciled; uploads checked in full by a finance officer of the partner."""

from __future__ import annotations

from pathlib import Path

import pytest

from onebudget_web.accounts.models import User
from onebudget_web.audit.models import AuditEvent
from onebudget_web.demo.loader import load_demo_spend
from onebudget_web.spend.models import LedgerFile, MappingFile
from tests.web.conftest import demo_dataset_from


@pytest.fixture
def spend_place(db, demo_folders):
    dataset = demo_dataset_from(demo_folders(2000))
    assert load_demo_spend(dataset) == 2
    return dataset


def sign_in(client, name: str):
    client.force_login(User.objects.get(username=name))
    return client


def test_partners_see_the_place_spend_reconciled_and_others_do_not(client, spend_place) -> None:
    page = sign_in(client, "viewer").get("/places/fernmouth/spend/").content.decode()
    assert "Spend on health and care" in page
    assert page.count('<td class="nhsuk-table__cell">yes</td>') == 2
    assert "Every transfer between partners was matched and eliminated." in page
    assert "Acute hospital care" in page
    assert "<svg" in page
    assert "Upload for" not in page  # a viewer uploads nothing
    assert "a head</strong> in " in page  # the year's, said beside it
    assert "over 2,000 people in the linked data" in page
    assert "Pooled, aligned and in view" in page
    assert sign_in(client, "westvale").get("/places/fernmouth/spend/").status_code == 404
    book = sign_in(client, "viewer").get("/places/fernmouth/spend/?format=xlsx")
    assert book["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from python_calamine import CalamineWorkbook

    names = CalamineWorkbook.from_filelike(BytesIO(book.content)).sheet_names
    assert names[-1] == "Spend for place"
    assert AuditEvent.objects.filter(action="spend.ledger_uploaded").count() == 2


def test_a_bad_ledger_is_refused_with_every_problem_and_nothing_kept(
    client, spend_place, tmp_path: Path
) -> None:
    bad = tmp_path / "council_gl_E06099001.csv"
    good = Path(spend_place.path) / "ledgers" / "council_gl_E06099001.csv"
    lines = good.read_text().splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[8], "12.345")
    lines[2] = lines[2].replace(lines[2].split(",")[2], "31/02/2024")
    bad.write_text("\n".join(lines) + "\n")
    before = LedgerFile.objects.count()
    c = sign_in(client, "finance")
    page = c.get("/places/fernmouth/spend/").content.decode()
    assert "Upload for Fernmouth Council" in page
    assert "Upload for NHS" not in page
    with bad.open("rb") as handle:
        response = c.post(
            "/places/fernmouth/spend/upload/",
            {"organisation": "E06099001", "kind": "ledger", "file": handle},
        )
    assert response.status_code == 400
    text = response.content.decode()
    assert "2 problems to fix" in text
    assert "row 2, column Amount" in text
    assert "row 3, column Posting Date" in text
    assert LedgerFile.objects.count() == before


def test_only_a_finance_officer_of_the_partner_uploads(client, spend_place, tmp_path: Path) -> None:
    mapping = tmp_path / "QZZ.yaml"
    mapping.write_text(MappingFile.objects.filter(organisation__code="QZZ").first().text)
    with mapping.open("rb") as handle:
        response = sign_in(client, "finance").post(
            "/places/fernmouth/spend/upload/",
            {"organisation": "QZZ", "kind": "mapping", "file": handle},
        )
    assert response.status_code in (403, 404)
    with mapping.open("rb") as handle:
        response = sign_in(client, "icb-finance").post(
            "/places/fernmouth/spend/upload/",
            {"organisation": "QZZ", "kind": "mapping", "file": handle},
        )
    assert response.status_code == 302
    assert MappingFile.objects.filter(organisation__code="QZZ").count() == 2


def test_a_synthetic_place_is_per_head_of_its_linked_data_and_keeps_every_penny(
    spend_place,
) -> None:
    from onebudget_web.spend.selectors import place_amounts, place_spend

    place = spend_place.place
    view = place_spend(place).view
    found = place_amounts(place, view)
    assert found.population == 2000
    assert sum(r["place_amount"] for r in found.rows) == sum(view.totals.values())


HOSTILE_MAPPINGS = {
    "deep.yaml": "partner: E06099001\ncolumns: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "deep-block.yaml": "partner: E06099001\ncolumns:\n" + "- " * 20_000 + "x\n",
    "bomb.yaml": "\n".join(
        ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    ),
    "list.yaml": (
        "partner: E06099001\nname: x\nledger: {file: gl.csv}\n"
        "columns: [Cost Centre, Account, Amount]\n"
    ),
    "not-yaml.yaml": "partner: [E06099001\n",
}


def test_a_hostile_or_malformed_mapping_is_refused_with_its_problems_never_a_500(
    client, spend_place
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = sign_in(client, "finance")
    before = MappingFile.objects.count()
    expected = {
        "deep.yaml": "nested more than 50 levels deep",
        "deep-block.yaml": "nested more than 50 levels deep",
        "bomb.yaml": "aliases (*name) are not allowed",
        "list.yaml": "a mapping of names to values",
        "not-yaml.yaml": "not YAML",
    }
    for name, text in HOSTILE_MAPPINGS.items():
        upload = SimpleUploadedFile(name, text.encode(), content_type="application/yaml")
        response = c.post(
            "/places/fernmouth/spend/upload/",
            {"organisation": "E06099001", "kind": "mapping", "file": upload},
        )
        assert response.status_code == 400, name
        page = response.content.decode()
        assert "Nothing has been saved" in page, name
        assert f"{name}: " in page
        assert expected[name] in page, name
        assert len(page) < 200_000, name  # the error does not repeat the value at length
    assert MappingFile.objects.count() == before


def test_amounts_too_large_to_keep_or_not_written_as_money_are_named_by_row(
    client, spend_place, tmp_path: Path
) -> None:
    bad = tmp_path / "council_gl_E06099001.csv"
    good = Path(spend_place.path) / "ledgers" / "council_gl_E06099001.csv"
    lines = good.read_text().splitlines()
    amount = lines[0].split(",").index("Amount")
    for row, value in ((1, "1e30"), (2, "9990000000000000000000000"), (3, "1" * 29)):
        cells = lines[row].split(",")
        cells[amount] = value
        lines[row] = ",".join(cells)
    bad.write_text("\n".join(lines) + "\n")
    before = LedgerFile.objects.count()
    with bad.open("rb") as handle:
        response = sign_in(client, "finance").post(
            "/places/fernmouth/spend/upload/",
            {"organisation": "E06099001", "kind": "ledger", "file": handle},
        )
    assert response.status_code == 400
    text = response.content.decode()
    assert "3 problems to fix" in text
    assert "row 2, column Amount: &#x27;1e30&#x27;: not written as an amount of money" in text
    assert "row 3, column Amount" in text
    assert text.count("more than £92,233,720,368,547,758.07") == 2
    assert LedgerFile.objects.count() == before


def test_a_ledger_whose_upload_fails_after_it_is_copied_leaves_no_file(
    spend_place, settings, monkeypatch, tmp_path: Path
) -> None:
    """The kept copy is written before the row that records it: if anything after the copy
    fails, the transaction rolls back and the copy is removed with it."""
    from onebudget_web.accounts.models import Organisation
    from onebudget_web.places.models import Place
    from onebudget_web.spend import actions

    settings.DATA_DIR = str(tmp_path / "data")
    good = Path(spend_place.path) / "ledgers" / "council_gl_E06099001.csv"

    def broken_audit(**_: object) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(actions, "record", broken_audit)
    before = LedgerFile.objects.count()
    with pytest.raises(RuntimeError, match="audit"):
        actions.upload_ledger(
            by=User.objects.get(username="finance"),
            place=Place.objects.get(slug="fernmouth"),
            organisation=Organisation.objects.get(code="E06099001"),
            upload=good,
            name=good.name,
        )
    assert LedgerFile.objects.count() == before
    assert not [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
