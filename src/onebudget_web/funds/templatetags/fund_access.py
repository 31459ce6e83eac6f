"""``{{ fund|opened_by:request.user }}``: whether a page may link to a fund's pages. A fund
is opened by its partners only (``funds.selectors.funds_for``); a partner of the place that
is not one (a provider, say) sees the fund's name where a page names it, never a link to a
page that would refuse it."""

from __future__ import annotations

from typing import Any

from django import template

from onebudget_web.funds.models import Fund
from onebudget_web.funds.selectors import funds_for

register = template.Library()


@register.filter
def opened_by(fund: Fund | None, user: Any) -> bool:
    return fund is not None and funds_for(user).filter(pk=fund.pk).exists()
