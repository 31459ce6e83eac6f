"""Recording a quarterly or year-end return: the signed-off plan's return as it stands, kept
as the workbook sent (so a later correction of the ledger never changes what was reported),
with the narrative written; by a commissioner of either partner, audited."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from onebudget.bcf.returns import Period
from onebudget.bcf.returns_workbook import return_to_workbook
from onebudget.money import to_pence
from onebudget_web.accounts.models import User
from onebudget_web.audit.log import record
from onebudget_web.bcf import selectors
from onebudget_web.bcf.actions import commissioning_partner
from onebudget_web.bcf.models import BcfPlan, PlanReturn
from onebudget_web.bcf.returns_data import NARRATIVE, actual_problem, draft_return
from onebudget_web.core.refused import RefusedError

LONGEST = 2000  # characters of one narrative box


def narrative_problems(narrative: Mapping[str, Mapping[str, str]]) -> dict[str, list[str]]:
    """Each box too long, and each actual typed in that is not one, by its field name
    (``<metric>-<part>``)."""
    found = {
        f"{metric}-{part}": [f"Write no more than {LONGEST:,} characters"]
        for metric, said in narrative.items()
        for part in NARRATIVE
        if len(said.get(part, "")) > LONGEST
    }
    for metric, said in narrative.items():
        problem = actual_problem(said.get("actual", ""))
        if problem:
            found[f"{metric}-actual"] = [problem]
    return found


@transaction.atomic
def record_return(
    *, by: User, plan: BcfPlan, period: Period, narrative: Mapping[str, Mapping[str, str]]
) -> PlanReturn:
    version = selectors.signed_off_version(plan)
    if version is None:
        raise ValidationError(["A return reports on the plan the board has signed off"])
    acting = commissioning_partner(
        by, plan.place, selectors.partner_codes(selectors.plan_from(version.text))
    )
    too_long = narrative_problems(narrative)
    if too_long:
        raise ValidationError(too_long)
    found = draft_return(plan, version, period, narrative)
    if found.problems:
        raise RefusedError(list(found.problems))
    kept = PlanReturn.objects.create(
        plan=plan, period=period, version=version, workbook=return_to_workbook(found),
        spent_to_date_pence=to_pence(found.total.to_date), narrative=dict(narrative),
        recorded_by=by,
    )  # fmt: skip
    detail = {"plan": str(plan), "period": period, "version": version.number}
    record(by=by, action="bcf.return_recorded", obj=kept, organisation=acting, detail=detail)
    return kept
