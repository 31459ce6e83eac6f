"""The library imports without Django: an analyst's notebook never pulls in the web stack."""

import subprocess
import sys

MODULES = [
    "onebudget",
    "onebudget.organisations",
    "onebudget.roles",
    "onebudget.demo",
    "onebudget.cli.main",
]


def test_importing_the_library_loads_no_web_framework() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in MODULES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'ninja', 'onebudget_web'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
