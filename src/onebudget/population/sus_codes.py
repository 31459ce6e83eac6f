"""The national codes of SUS / HES admitted patient care, as reviewed data.

``definitions/sus/apc.yaml`` holds, with its owner and source, the codes each coded field of
``apc_spells`` may take (``fields``) and the forms clinical codes must have (``forms``: ICD-10,
OPCS-4 and specialty codes are licensed lists, so only their shape is checked). It is validated
on load: every field must be a column of ``schema.APC``, a form's columns must exist (a prefix
such as ``diag_4_`` stands for every column it begins), every pattern must compile and no code
may be listed twice, so a mistake in the file stops a check rather than passing bad data.
HES compares codes exactly, so they are matched exactly here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from onebudget.population import schema
from onebudget.population.defined_lists import DefinedListsError, _Reviewed, _validated

APC_COLUMNS = tuple(c.name for c in schema.APC.columns)
SHIPPED = "apc.yaml"


class SusCodesError(ValueError):
    """A file of SUS codes that breaks a rule; the message names the file and the rule."""


class _FieldFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    complete: bool
    values: dict[str, str]

    @field_validator("values")
    @classmethod
    def _codes(cls, values: dict[str, str]) -> dict[str, str]:
        if not values:
            raise ValueError("no codes listed")
        spaced = sorted(c for c in values if not c or c != c.strip())
        if spaced:
            raise ValueError(f"codes empty or with spaces around them: {spaced}")
        return values


class _FormFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    columns: tuple[str, ...]
    pattern: str
    rule: str

    @field_validator("columns", mode="before")
    @classmethod
    def _prefix(cls, value: Any) -> Any:
        """A prefix stands for every column of apc_spells that begins with it."""
        if not isinstance(value, str):
            return value
        found = tuple(c for c in APC_COLUMNS if c.startswith(value))
        if not found:
            raise ValueError(f"no column of apc_spells begins {value!r}")
        return found

    @field_validator("columns")
    @classmethod
    def _columns(cls, columns: tuple[str, ...]) -> tuple[str, ...]:
        if not columns:
            raise ValueError("no columns named")
        unknown = sorted(set(columns) - set(APC_COLUMNS))
        if unknown:
            raise ValueError(f"not columns of apc_spells: {unknown}")
        return columns

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str) -> str:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"not a regular expression: {pattern!r} ({error})") from None
        return pattern


class _CodesFile(_Reviewed):
    fields: dict[str, _FieldFile]
    forms: dict[str, _FormFile]

    @field_validator("fields")
    @classmethod
    def _apc_fields(cls, fields: dict[str, _FieldFile]) -> dict[str, _FieldFile]:
        unknown = sorted(set(fields) - set(APC_COLUMNS))
        if unknown:
            raise ValueError(f"not columns of apc_spells: {unknown}")
        return fields


@dataclass(frozen=True)
class CodeList:
    """One field's codes with their labels. ``complete`` is False where only the codes in use
    are listed: a code outside such a list is a note to check, not a problem."""

    field: str
    labels: Mapping[str, str]
    complete: bool

    def __contains__(self, code: object) -> bool:
        return code in self.labels


@dataclass(frozen=True)
class CodeForm:
    """The form every code in ``columns`` must have, stated as ``rule`` for a reader."""

    name: str
    columns: tuple[str, ...]
    pattern: re.Pattern[str]
    rule: str

    def fits(self, code: str) -> bool:
        return self.pattern.fullmatch(code) is not None


@dataclass(frozen=True)
class ApcCodes:
    source: str
    fields: Mapping[str, CodeList]
    forms: Mapping[str, CodeForm]


def parse_apc_codes(text: str, *, source: str) -> ApcCodes:
    """The codes of a file's text, or a ``SusCodesError`` naming ``source`` and the rule."""
    try:
        spec = _validated(_CodesFile, text, source)
    except DefinedListsError as error:
        raise SusCodesError(str(error)) from None
    twice = sorted(set(_repeated_keys(yaml.compose(text, Loader=yaml.SafeLoader))))
    if twice:
        raise SusCodesError(f"{source}: listed twice (YAML would keep the last): {twice}")
    fields = {
        name: CodeList(name, MappingProxyType(dict(f.values)), f.complete)
        for name, f in spec.fields.items()
    }
    forms = {
        name: CodeForm(name, f.columns, re.compile(f.pattern), f.rule)
        for name, f in spec.forms.items()
    }
    return ApcCodes(spec.source, MappingProxyType(fields), MappingProxyType(forms))


def _repeated_keys(node: yaml.Node | None) -> Iterator[str]:
    """Keys given twice in one mapping anywhere in the file, as ``parent.key``."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                yield str(key.value)
            seen.add(key.value)
            yield from (f"{key.value}.{k}" for k in _repeated_keys(value))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _repeated_keys(item)


@cache
def apc_codes() -> ApcCodes:
    """The shipped codes of admitted patient care (``definitions/sus/apc.yaml``)."""
    path = resources.files("onebudget") / "definitions" / "sus" / SHIPPED
    return parse_apc_codes(path.read_text("utf-8"), source=SHIPPED)
