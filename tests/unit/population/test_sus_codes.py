"""The SUS admitted patient care codes: the shipped file, and a bad file refused naming its rule."""

from __future__ import annotations

import pytest

from onebudget.population import schema
from onebudget.population.sus_codes import SusCodesError, apc_codes, parse_apc_codes

FIELDS = ("admimeth", "admisorc", "classpat", "epitype", "dismeth", "disdest")
GOOD = """\
owner: a maintainer
source: the NHS Data Dictionary
reviewed: 2026-01-01
review_by: 2026-07-01
fields:
  admimeth:
    complete: true
    values:
      "11": Elective
      "21": Emergency
  classpat:
    complete: false
    values:
      "1": Ordinary admission
forms:
  diagnosis:
    columns: diag_4_
    pattern: "^[A-Z][0-9]{2}$"
    rule: an ICD-10 code
  specialty:
    columns: [mainspef, tretspef]
    pattern: "^[0-9]{3}$"
    rule: a specialty code
"""


def test_the_shipped_codes_load_with_labels_and_forms() -> None:
    codes = apc_codes()
    assert codes is apc_codes()  # read once
    assert set(codes.fields) == set(FIELDS)
    assert "2B" in codes.fields["admimeth"]
    assert "2b" not in codes.fields["admimeth"]  # compared exactly, as HES compares them
    assert codes.fields["disdest"].labels["79"].startswith("Not applicable: the patient died")
    assert all(f.complete for f in codes.fields.values())
    forms = codes.forms
    assert forms["diagnosis"].columns == schema.DIAGNOSES
    assert forms["procedure"].columns == schema.PROCEDURES
    assert forms["specialty"].columns == ("mainspef", "tretspef")
    assert [forms["diagnosis"].fits(c) for c in ("I10X", "J18", "R69-", "I10.X", "i10x")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert [forms["procedure"].fits(c) for c in ("W401", "X99", "W40.1", "W4011")] == [
        True,
        True,
        False,
        False,
    ]


def test_a_prefix_stands_for_every_column_it_begins_and_a_list_names_columns() -> None:
    codes = parse_apc_codes(GOOD, source="x.yaml")
    assert codes.forms["diagnosis"].columns == schema.DIAGNOSES
    assert codes.forms["specialty"].columns == ("mainspef", "tretspef")
    assert dict(codes.fields["admimeth"].labels) == {"11": "Elective", "21": "Emergency"}
    assert not codes.fields["classpat"].complete
    with pytest.raises(TypeError):
        codes.fields["admimeth"].labels["99"] = "Not known"  # type: ignore[index]


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("admimeth:", "admimethod:", r"x\.yaml: fields: .*not columns of apc_spells: \['admimet"),
        ("columns: diag_4_", "columns: diag_5_", "forms.diagnosis.columns: .*begins 'diag_5_'"),
        ("[mainspef, tretspef]", "[mainspef, specialty]", r"not columns of .*\['specialty'\]"),
        ("columns: diag_4_", "columns: []", "forms.diagnosis.columns: .*no columns named"),
        ('"^[A-Z][0-9]{2}$"', '"^[A-Z"', r"forms\.diagnosis\.pattern: .*not a regular expression"),
        ("review_by: 2026-07-01", "review_by: 2025-12-31", "file: .*review_by must come after"),
        ('"21": Emergency', '"21": Emergency\n      "11": Again', r"listed twice .*values\.11"),
        ('"21": Emergency', "21: Emergency", r"values\.21\.\[key\]: Input should be a valid str"),
        ('"21": Emergency', '"21 ": Emergency', r"codes empty or with spaces .*'21 '"),
        ("rule: a specialty code", "rule: a specialty code\n    colour: red", "Extra inputs"),
        ("owner: a maintainer", "owner: [", r"x\.yaml: not YAML"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_rule(old: str, new: str, error: str) -> None:
    assert old in GOOD
    with pytest.raises(SusCodesError, match=error):
        parse_apc_codes(GOOD.replace(old, new, 1), source="x.yaml")
