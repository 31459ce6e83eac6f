"""Copy the compiled NHS.UK frontend and Leaflet from node_modules into the service's static files.

Run by ``make vendor`` after ``npm ci``. The output is committed (ADR 0004), so a fresh clone
serves the NHS.UK look with only Python. Paths are rewritten so nothing is fetched from
outside the service: image URLs become relative, and the @font-face rules that point at
assets.nhs.uk (Frutiger, not redistributable) are dropped, so pages fall back to Arial.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "nhsuk-frontend"
TARGET = ROOT / "src" / "onebudget_web" / "static" / "vendor" / "nhsuk-frontend"
LEAFLET = ROOT / "node_modules" / "leaflet"
LEAFLET_TARGET = TARGET.parent / "leaflet"

_FONT_FACE = re.compile(r"@font-face\{[^}]*assets\.nhs\.uk[^}]*\}")
_SOURCE_MAP = re.compile(r"/[*/]# sourceMappingURL=\S+?(?: \*/)?\s*$", re.MULTILINE)


def rewrite_css(css: str) -> str:
    css = _FONT_FACE.sub("", css)
    css = css.replace("url(/assets/images/", "url(assets/images/")
    return _SOURCE_MAP.sub("", css)


def vendor_leaflet() -> int:
    """Leaflet's built files as published; the map draws no tiles unless a tile URL is set."""
    dist = LEAFLET / "dist"
    if not dist.is_dir():
        print("node_modules/leaflet is missing: run `npm ci` first", file=sys.stderr)
        return 1
    version = json.loads((LEAFLET / "package.json").read_text())["version"]
    if LEAFLET_TARGET.exists():
        shutil.rmtree(LEAFLET_TARGET)
    LEAFLET_TARGET.mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        text = _SOURCE_MAP.sub("", (dist / name).read_text())
        (LEAFLET_TARGET / name).write_text(text)
    shutil.copytree(dist / "images", LEAFLET_TARGET / "images")
    note = (
        f"leaflet {version}, BSD 2-Clause licence.\n"
        "Copied from the npm package by scripts/vendor_assets.py.\n"
    )
    (LEAFLET_TARGET / "VERSION").write_text(f"{version}\n")
    (LEAFLET_TARGET / "NOTICE").write_text(note + (LEAFLET / "LICENSE").read_text())
    print(f"vendored leaflet {version} into {LEAFLET_TARGET.relative_to(ROOT)}")
    return 0


def main() -> int:
    return vendor_nhsuk() or vendor_leaflet()


def vendor_nhsuk() -> int:
    dist = SOURCE / "dist" / "nhsuk"
    if not dist.is_dir():
        print("node_modules/nhsuk-frontend is missing: run `npm ci` first", file=sys.stderr)
        return 1
    version = json.loads((SOURCE / "package.json").read_text())["version"]
    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / "assets").mkdir(parents=True)
    css = rewrite_css((dist / "nhsuk-frontend.min.css").read_text())
    if "assets.nhs.uk" in css:
        print("an external URL survived the rewrite", file=sys.stderr)
        return 1
    (TARGET / "nhsuk-frontend.min.css").write_text(css)
    js = _SOURCE_MAP.sub("", (dist / "nhsuk-frontend.min.js").read_text())
    (TARGET / "nhsuk-frontend.min.js").write_text(js)
    shutil.copytree(dist / "assets" / "images", TARGET / "assets" / "images")
    licence = SOURCE / "LICENSE"
    note = (
        f"nhsuk-frontend {version}, MIT licence, (c) NHS England.\n"
        "Copied from the npm package by scripts/vendor_assets.py.\n"
    )
    (TARGET / "VERSION").write_text(f"{version}\n")
    (TARGET / "NOTICE").write_text(note + (licence.read_text() if licence.exists() else ""))
    print(f"vendored nhsuk-frontend {version} into {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
