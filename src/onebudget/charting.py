"""What every chart of the library shares: the NHS.UK palette, the size, and rendering to SVG.

Charts are Vega-Lite (built with Altair) rendered to SVG on the server: no JavaScript, no
CDN, they print, and screen readers read them through their title. This module is below
the engines (outcomes, spend, allocation), so that none of them imports another for it.
"""

from __future__ import annotations

import altair as alt
import vl_convert

NHS_BLUE, NHS_DARK_GREY, NHS_RED, NHS_WARM_YELLOW = "#005eb8", "#425563", "#d5281b", "#ffb81c"
WIDTH, HEIGHT = 620, 260


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document."""
    return str(vl_convert.vegalite_to_svg(chart.to_dict()))
