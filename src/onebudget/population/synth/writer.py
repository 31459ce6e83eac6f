"""Write a synthetic place to a folder: Parquet tables, a data dictionary, a manifest.

Output is byte-identical for the same seed: no timestamps, fixed row order, and Parquet
written with fixed options. The manifest records what was asked for and what came out,
with each file's SHA-256, so a copy can be checked.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from onebudget import __version__
from onebudget.population import schema
from onebudget.population.synth.generate import SynthData
from onebudget.population.synth.ledgers import FinancePlace, write_finance_extracts

SYNTHETIC_NOTICE = (
    "SYNTHETIC DATA. Every person, event and amount here was made up by OneBudget's "
    "generator; none relates to a real person. Rates are calibrated to published national "
    "figures (see the onebudget package's definitions/rates/national.yaml)."
)


def data_dictionary() -> str:
    """The data dictionary of the linked dataset, as Markdown, generated from the schema."""
    lines = [
        "# Data dictionary: the linked person-level dataset",
        "",
        "Generated from `onebudget.population.schema`; do not edit by hand. "
        "Run `onebudget data-dictionary --out docs/data-dictionary.md` to regenerate it.",
        "",
    ]
    for table in schema.TABLES:
        lines += [
            f"## `{table.name}` ({table.dataset})",
            "",
            table.description,
            "",
            "| column | type | empty allowed | meaning |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {c.description} |"
            for c in table.columns
        ]
        lines.append("")
    return "\n".join(lines)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(data: SynthData, out: Path, *, finance: bool = True) -> list[Path]:
    """Write every table and the documentation under ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in data.tables.items():
        path = out / f"{name}.parquet"
        pq.write_table(
            table, path, compression="zstd", write_statistics=True, row_group_size=1_000_000
        )
        written.append(path)
    (out / "DATA_DICTIONARY.md").write_text(data_dictionary())
    (out / "README.md").write_text(f"# {data.place.label}\n\n{SYNTHETIC_NOTICE}\n")
    written += [out / "DATA_DICTIONARY.md", out / "README.md"]
    if finance:
        written += write_finance_extracts(
            out,
            _finance_place(data),
            seed=data.config.seed,
            first_year=data.config.first_year,
            last_year=data.config.last_year,
        )
    manifest = out / "manifest.json"
    manifest.write_text(json.dumps(_manifest(data, out, written), indent=2, sort_keys=True))
    return sorted([*written, manifest])


def _finance_place(data: SynthData) -> FinancePlace:
    persons = data.tables["persons"]
    births = persons.column("date_of_birth").to_numpy(zero_copy_only=False)
    cutoff = f"{data.config.first_year - 65}-01-01"
    older = int((births < np.datetime64(cutoff)).sum())
    return FinancePlace(
        name=data.place.name,
        council_code=data.place.council_code,
        council_name=f"{data.place.name} Council",
        icb_code=data.place.icb_code,
        icb_name=f"NHS {data.place.name} Integrated Care Board",
        population=data.config.persons,
        persons_65_plus=min(older, data.config.persons),
    )


def _manifest(data: SynthData, out: Path, written: list[Path]) -> dict[str, object]:
    config = data.config
    return {
        "synthetic": True,
        "notice": SYNTHETIC_NOTICE,
        "generator": f"onebudget {__version__}",
        "place": data.place.label,
        "council_code": data.place.council_code,
        "like": config.like,
        "persons_at_start": config.persons,
        "seed": config.seed,
        "years": [config.first_year, config.last_year],
        "rows": {name: table.num_rows for name, table in data.tables.items()},
        "files": {str(p.relative_to(out)): _sha256(p) for p in sorted(written)},
    }
