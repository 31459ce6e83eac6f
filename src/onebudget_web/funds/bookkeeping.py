"""Posting the fund's year: instalments in and monthly actuals out, built by the library's
``journal``. The year-end settlement is in ``settlements`` (its actions are exported here
too), reversals in ``corrections``.

Uploading the same file twice has one effect (the transactions' keys say what they record);
a changed figure for a posted month is refused until the first is reversed, after which it
is posted again as its key's next revision. Each actuals file is recorded with the
transactions it posted, so the whole file can be reversed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from onebudget.funds.actuals import Actuals, ActualsError, parse_actuals
from onebudget.funds.journal import actual_transactions, instalment_transactions
from onebudget.funds.monitoring import MonthlyFigure
from onebudget.io.tables import RawTable
from onebudget.money import to_pence
from onebudget_web.accounts.models import User
from onebudget_web.audit.log import record
from onebudget_web.funds.ledger_store import lock
from onebudget_web.funds.models import ActualsImport, ForecastOutturn, Fund
from onebudget_web.funds.posting import post_transactions
from onebudget_web.funds.selectors import agreement_of, settled_refusal
from onebudget_web.funds.settlements import (
    approve_settlement,
    is_approved,
    outturn_from_ledger,
    prepare_settlement,
)

__all__ = [
    "actual_transactions",
    "approve_settlement",
    "import_actuals",
    "instalment_transactions",
    "is_approved",
    "outturn_from_ledger",
    "post_instalments",
    "prepare_settlement",
    "preview_actuals",
]


def preview_actuals(fund: Fund, table: RawTable) -> tuple[Actuals, list[str]]:
    """What an upload would post and the rows it leaves out (other years'), or every problem
    with it (nothing is posted here)."""
    agreement = agreement_of(fund)
    refused = settled_refusal(fund)
    if refused:
        return Actuals(()), refused
    try:
        return parse_actuals(table, agreement), []
    except ActualsError as error:
        return Actuals(()), [str(p) for p in error.problems]


@transaction.atomic
def import_actuals(*, by: User, fund: Fund, table: RawTable) -> int:
    """Post a file's figures (all or nothing), recorded as one import; returns how many
    transactions were new."""
    lock(fund)  # no settlement is posted meanwhile
    read, errors = preview_actuals(fund, table)
    if errors:
        raise ValidationError(errors)
    figures = read.figures
    agreement = agreement_of(fund)
    upload = ActualsImport.objects.create(fund=fund, file_name=table.source[:300], posted_by=by)
    count = post_transactions(
        by=by, fund=fund, transactions=actual_transactions(agreement, figures), source=upload
    )
    _record_forecasts(by, fund, figures)
    record(
        by=by,
        action="fund.actuals_imported",
        obj=fund,
        organisation=fund.host,
        detail={"file": table.source, "posted": count, "import": upload.pk},
    )
    return count


def _record_forecasts(by: User, fund: Fund, figures: Sequence[MonthlyFigure]) -> None:
    """Keep each month's forecast outturn; an unchanged one is not recorded again."""
    latest = {}
    for f in fund.forecasts.order_by("recorded_at", "pk"):
        latest[(f.scheme, f.month)] = f.pence
    new = [
        ForecastOutturn(
            fund=fund,
            scheme=f.scheme,
            month=f.month,
            pence=to_pence(f.forecast_outturn),
            recorded_by=by,
        )
        for f in figures
        if f.forecast_outturn is not None
        and latest.get((f.scheme, f.month)) != to_pence(f.forecast_outturn)
    ]
    ForecastOutturn.objects.bulk_create(new)


@transaction.atomic
def post_instalments(*, by: User, fund: Fund) -> int:
    return post_transactions(
        by=by, fund=fund, transactions=instalment_transactions(agreement_of(fund))
    )
