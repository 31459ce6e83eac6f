"""Kinds of partner organisation and the national codes that identify them.

Councils are identified by GSS codes (the Government Statistical Service's geography codes);
NHS bodies, providers and voluntary organisations by ODS codes (the Organisation Data Service).
The rules live here, as data and pure functions, so the service, the CLI and any import
validate a code the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class OrganisationKind(StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    ICB = "icb"
    NHS_TRUST = "nhs_trust"
    PROVIDER = "provider"
    VOLUNTARY_SECTOR = "voluntary_sector"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def code_system(self) -> CodeSystem:
        return CodeSystem.GSS if self is OrganisationKind.LOCAL_AUTHORITY else CodeSystem.ODS


class CodeSystem(StrEnum):
    GSS = "GSS"
    ODS = "ODS"


_KIND_LABELS = {
    OrganisationKind.LOCAL_AUTHORITY: "Local authority",
    OrganisationKind.ICB: "Integrated care board",
    OrganisationKind.NHS_TRUST: "NHS trust",
    OrganisationKind.PROVIDER: "Provider",
    OrganisationKind.VOLUNTARY_SECTOR: "Voluntary sector organisation",
}

# Upper-tier and unitary councils: E06 unitary, E08 metropolitan district, E09 London
# borough, E10 county; E07 lower-tier districts are kept for district-level partners.
_GSS_COUNCIL = re.compile(r"^E(06|07|08|09|10)\d{6}$")
# ODS codes are 3 to 6 upper-case letters and digits (ICB "QWO", trust "RXX", site "RXX01").
# Codes of independent providers may be longer (e.g. "AXG0123"), so allow up to 8.
_ODS = re.compile(r"^[A-Z0-9]{3,8}$")


@dataclass(frozen=True, slots=True)
class CodeProblem:
    """Why a code was refused: the value and the rule it broke, for a clear message."""

    value: str
    rule: str

    def __str__(self) -> str:
        return f"{self.value!r}: {self.rule}"


def code_problems(kind: OrganisationKind, code: str) -> list[CodeProblem]:
    """Every problem with ``code`` as the identifier of an organisation of ``kind``."""
    problems: list[CodeProblem] = []
    if code != code.strip() or code != code.upper():
        problems.append(CodeProblem(code, "codes are upper case with no surrounding spaces"))
    if kind.code_system is CodeSystem.GSS and not _GSS_COUNCIL.match(code):
        problems.append(
            CodeProblem(code, "a council's GSS code is E06, E07, E08, E09 or E10 then 6 digits")
        )
    if kind.code_system is CodeSystem.ODS and not _ODS.match(code):
        problems.append(CodeProblem(code, "an ODS code is 3 to 8 upper-case letters or digits"))
    return problems
