"""The vendored NHS.UK frontend matches package.json and fetches nothing from outside."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "src" / "onebudget_web" / "static" / "vendor" / "nhsuk-frontend"


def test_vendored_version_is_the_pinned_one() -> None:
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["nhsuk-frontend"]
    assert (VENDOR / "VERSION").read_text().strip() == pinned


def test_css_refers_only_to_files_that_are_vendored() -> None:
    css = (VENDOR / "nhsuk-frontend.min.css").read_text()
    urls = set(re.findall(r"url\(([^)]+)\)", css))
    assert urls, "the stylesheet should refer to its icons"
    for url in urls:
        url = url.strip("\"'")
        if url.startswith("data:"):
            continue
        assert "://" not in url, url
        assert not url.startswith("/"), url
        assert (VENDOR / url).is_file(), url


def test_no_source_map_comments_remain() -> None:
    for name in ("nhsuk-frontend.min.css", "nhsuk-frontend.min.js"):
        assert "sourceMappingURL" not in (VENDOR / name).read_text()


LEAFLET = VENDOR.parent / "leaflet"


def test_leaflet_is_the_pinned_version_and_its_css_refers_only_to_vendored_images() -> None:
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["leaflet"]
    assert (LEAFLET / "VERSION").read_text().strip() == pinned
    css = (LEAFLET / "leaflet.css").read_text()
    urls = {u.strip("\"'") for u in re.findall(r"url\(([^)]+)\)", css)} - {"#default#VML"}
    assert urls
    for url in urls:
        assert "://" not in url, url
        assert (LEAFLET / url).is_file(), url
    assert "sourceMappingURL" not in (LEAFLET / "leaflet.js").read_text()
