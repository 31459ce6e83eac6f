"""What every chart of the library shares: the NHS.UK palette, the size, and rendering to SVG.

Charts are Vega-Lite (built with Altair) rendered to SVG on the server: no JavaScript, no
CDN, they print. Every chart carries a text alternative, a summary in words that says what
the chart shows (an image to assistive technology, with the summary as its name); the page
gives the data as a table beside it. Money axes count in pounds, thousands, millions or
billions, so their labels stay short. This module is below the engines (outcomes, spend,
allocation), so that none of them imports another for it.
"""

from __future__ import annotations

from html import escape

import altair as alt
import vl_convert

NHS_BLUE, NHS_DARK_GREY, NHS_RED, NHS_WARM_YELLOW = "#005eb8", "#425563", "#d5281b", "#ffb81c"
WIDTH, HEIGHT = 620, 260


MONEY_SCALES = ((1e9, "£ billion"), (1e6, "£ million"), (1e3, "£ thousand"))


def svg(chart: alt.TopLevelMixin, summary: str) -> str:
    """The chart as an SVG image named by ``summary`` (its text alternative)."""
    drawn = str(vl_convert.vegalite_to_svg(chart.to_dict()))
    opening = drawn.index(">", drawn.index("<svg")) + 1
    named = escape(summary, quote=True)
    head = drawn[:opening].replace("<svg ", f'<svg role="img" aria-label="{named}" ', 1)
    return f"{head}<title>{named}</title>{drawn[opening:]}"


def money_scale(largest: float) -> tuple[float, str]:
    """What a money axis counts in, so that its labels are short: (divisor, axis title)."""
    for size, title in MONEY_SCALES:
        if abs(largest) >= size:
            return size, title
    return 1.0, "£"
