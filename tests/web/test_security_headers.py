"""The Content-Security-Policy every response carries, and the templates it relies on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import override_settings

from onebudget_web.core.headers import content_security_policy

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "onebudget_web" / "templates"


def test_every_response_carries_a_strict_policy(client, db) -> None:
    policy = client.get("/sign-in/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe" not in policy


@pytest.mark.parametrize(
    ("tiles", "origin"),
    [
        ("", None),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
    ],
)
def test_map_tiles_only_from_the_configured_server(tiles: str, origin: str | None) -> None:
    with override_settings(ONEBUDGET_MAP_TILES=tiles):
        images = next(d for d in content_security_policy().split("; ") if d.startswith("img-src"))
    assert images == "img-src 'self' data:" + (f" {origin}" if origin else "")


def test_no_template_has_an_inline_script_style_or_handler() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\sstyle=|\son\w+=")
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
