"""The complete walk: every route, every method, every role of three organisations (two
partners of place A, an outsider in place B), by session and by API token, with every query
variant the views read, against a table of what each should answer.

For every request (``route_walk``): the status the table expects (200; a redirect to sign
in, or 401 from the API, for no one and for a token on a page; 404 for an outsider; 403 for
a member without the permission; 405 for a method the route does not take, sent by no one
and by each organisation's viewer: ``route_walk.WRONG_METHODS_BY``); no answer shows another
side's names, codes or money, nor another organisation's ledger lines (and each of those is
shown to its own side somewhere, so the check is not empty); and a refused write (a POST)
changes no row of any table. A route missing from ``ROUTES`` fails
``test_every_route_is_in_the_walk``: a new route fails until it is listed here. Two more
tests remove a real check (a write's permission, a read's scope) and see the walk fail.

The walk is over 15,000 requests (three minutes), so it is split into ``GROUPS`` tests of
every ``GROUPS``-th route by name, which xdist shares out among its workers; a new route
joins a group by its name alone. The walk runs on SQLite only (see ``DATABASE``): the
PostgreSQL run would double its time for no more coverage of scoping, which is in Python.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from onebudget.roles import Permission, Role
from tests.web.route_walk import Call, Check, Viewer, need, walk
from tests.web.route_walk_world import (
    BUDGET,
    HOST,
    ORGANISATIONS,
    PARTNERS,
    PEOPLE_IN,
    SAVED_PLACE,
    World,
    agreement,
    bcf_plan,
    budget,
    build_world,
    contract_text,
    ledger_for,
    mapping_for,
    secrets_of,
)

P = Permission
SIDES = ("a", "b")
EVERYONE = frozenset(Role)
NOT_UTF8 = ("not-utf8.yaml", b"\xff\xfe\x00 not UTF-8 text")


def get(url: str, seen_by: frozenset[str] | None = None, *checks: Check, **more) -> Call:
    return Call("GET", url, seen_by, checks, **more)


def post(url: str, seen_by: frozenset[str] | None, *checks: Check, **more) -> Call:
    return Call("POST", url, seen_by, checks, **{"ok": 302, **more})


def per_side(make: Callable[[World, str], list[Call]]) -> Callable[[World], list[Call]]:
    """The calls ``make`` gives for each side's records."""
    return lambda w: [call for side in SIDES for call in make(w, side)]


def per_organisation(url: str, *checks: Callable[[str], Check], **more) -> Callable[..., list]:
    """One call for each organisation's record (``{code}`` in ``url``), seen by its members."""
    return lambda w: [
        get(url.format(code=w.code(o)), frozenset({o}), *(c(o) for c in checks), **more)
        for o in ORGANISATIONS
    ]


def fund_ledger(w: World, side: str) -> list[Call]:
    url, seen, host = f"/funds/{w.fund(side)}/ledger/", PARTNERS[side], {HOST[side]}
    other = "b" if side == "a" else "a"
    manage, approve = need(P.POST_TO_POOL, host), need(P.APPROVE_SETTLEMENT, seen)
    reversal = str(w.reversal[side])
    return [
        get(url, seen),
        get(f"{url}?reverse=transaction:{w.transaction[side]}", seen),
        get(f"{url}?reverse=transaction:{w.transaction[other]}", seen),  # not this fund's
        post(url, seen, manage, data={"do": "close", "period": "2025-05"}, ok=200),  # asked
        post(url, seen, manage, data={"do": "close", "period": "2025-05", "confirm": "yes"}),
        post(url, seen, manage, data={"do": "instalments"}),
        post(
            url,
            seen,
            manage,
            data={
                "do": "reverse",
                "reason": "Walk",
                "target": f"transaction:{w.transaction[side]}",
            },
        ),
        post(
            url,
            seen,
            approve,
            data={"do": "approve-reversal", "reversal": reversal, "organisation": "{org}"},
        ),
        post(
            url,
            seen,
            manage,
            data={
                "do": "withdraw-reversal",
                "reversal": reversal,
                "reason": "Walk withdrawal",
                "confirm": "yes",
            },
        ),
        post(url, seen, ok=404, data={"do": "no-such-thing"}),
    ]


def fund_settlement(w: World, side: str) -> list[Call]:
    url, seen, host = f"/funds/{w.fund(side)}/settlement/", PARTNERS[side], {HOST[side]}
    prepare = {"do": "prepare", "override": "Walk: no month is closed", "nil": "A"}
    return [
        get(url, seen),
        post(url, seen, need(P.POST_TO_POOL, host), data=prepare),
        post(
            url,
            seen,
            need(P.APPROVE_SETTLEMENT, seen),
            data={"do": "approve", "organisation": "{org}"},
        ),
        post(url, seen, ok=404, data={"do": "no-such-thing"}),
    ]


def fund_actuals(w: World, side: str) -> list[Call]:
    url, seen = f"/funds/{w.fund(side)}/actuals/", PARTNERS[side]
    manage = need(P.POST_TO_POOL, {HOST[side]})
    empty = {"file": ("actuals.csv", b"Scheme,Month,Amount\n")}
    return [
        get(url, seen, manage),
        post(url, seen, manage, ok=400, files=empty),  # refused by the preview: nothing held
        post(url, seen, manage, ok=404, data={"token": "no-such-upload"}),
    ]


def fund_pages(w: World, side: str, path: str, *variants: str) -> list[Call]:
    url = f"/funds/{w.fund(side)}/{path}"
    return [get(url + v, PARTNERS[side]) for v in ("", *variants)]


def fund_agreement_edit(w: World, side: str) -> list[Call]:
    url, seen, manage = f"/funds/{w.fund(side)}/agreement/", PARTNERS[side], {HOST[side]}
    data = {"text": agreement(w, side), "note": "Walk variation"}
    renamed = {"do": "review-yaml", "text": data["text"] + "cascade: true\n", "note": "Walk"}
    return [
        get(url, seen, need(P.POST_TO_POOL, manage)),
        post(url, seen, need(P.POST_TO_POOL, manage), data=data),
        post(url, seen, need(P.POST_TO_POOL, manage), ok=200, data=renamed),  # the changes
        post(url, seen, need(P.POST_TO_POOL, manage), ok=400, data={"do": "review"}),
    ]


def place_new_fund(w: World, side: str) -> list[Call]:
    """Any partner's pool manager opens the page; only the host's sets the fund up (the
    agreement names the host): another partner's pool manager is refused (403)."""
    url, seen = f"/places/{w.slug(side)}/funds/new/", PARTNERS[side]
    manager, host = need(P.POST_TO_POOL, seen), need(P.POST_TO_POOL, {HOST[side]})
    text = agreement(w, side, fund_id=f"S75-WALK-{side.upper()}")
    other = "b" if side == "a" else "a"
    form = {"do": "create", "partners": "{org}", "host": "{org}", "name": "Walk"}
    return [
        get(url, seen, manager),
        get(f"{url}?start={w.fund(side)}", seen, manager),
        get(f"{url}?start={w.fund(other)}", seen, manager, ok=404),  # not this place's
        post(url, seen, manager, ok=200, data=form | {"do": "add-scheme"}),
        post(url, seen, manager, ok=400, data=form),  # one partner: refused, nothing made
        post(url, seen, manager, host, data={"text": text}),
        post(url, seen, manager, ok=400, files={"file": NOT_UTF8}),  # checked, then read
    ]


def place_outcomes(w: World, side: str) -> list[Call]:
    url, seen = f"/places/{w.slug(side)}/outcomes/", PARTNERS[side]
    waiver = Check(frozenset({Role.ANALYST}), frozenset({HOST[side]}))  # its holder only
    return [get(url, seen), get(f"{url}?unsuppressed=1", seen, waiver)]


def place_indicator(w: World, side: str) -> list[Call]:
    url, seen = f"/places/{w.slug(side)}/outcomes/", PARTNERS[side]
    return [get(f"{url}falls-65-plus/", seen), get(f"{url}no-such-indicator/", seen, ok=404)]


def place_indicator_target(w: World, side: str) -> list[Call]:
    """A target is set by a partner's commissioner; anyone else is refused (403)."""
    url, seen = f"/places/{w.slug(side)}/outcomes/falls-65-plus/target/", PARTNERS[side]
    return [post(url, seen, need(P.COMMISSION, seen), data={"value": "1,933.5", "note": "Walk"})]


def place_spend(w: World, side: str) -> list[Call]:
    url = f"/places/{w.slug(side)}/spend/"
    return [get(url, PARTNERS[side]), get(f"{url}?format=xlsx", PARTNERS[side])]


def place_spend_upload(w: World, side: str) -> list[Call]:
    """A finance officer uploads for their own organisation; another partner's code is
    404; a file is never read for anyone refused (a file that is not UTF-8 is 403 for them,
    and the decoding error only for a finance officer)."""
    url, seen, host = f"/places/{w.slug(side)}/spend/upload/", PARTNERS[side], HOST[side]
    finance = need(P.MANAGE_FINANCE, seen)
    mine = {"organisation": "{org}", "kind": "mapping"}
    return [
        post(
            url,
            seen,
            finance,
            data=mine,
            files={
                "file": ("map.yaml", mapping_for(w, host).replace(w.code(host), "{org}").encode())
            },
        ),
        post(
            url,
            seen,
            finance,
            data={"organisation": "{org}", "kind": "ledger"},
            files={"file": ("ledger.csv", ledger_for(side))},
        ),
        post(url, seen, finance, ok=400, data=mine, files={"file": NOT_UTF8}),
        post(
            url,
            seen,
            Check(EVERYONE, frozenset({host}), 404),
            need(P.MANAGE_FINANCE, {host}),
            data={"organisation": w.code(host), "kind": "mapping"},
            files={"file": ("map.yaml", mapping_for(w, host).encode())},
        ),
    ]


def place_spend_pending(w: World, side: str) -> list[Call]:
    """A held ledger is seen and decided only by the person who uploaded it: for anyone else,
    and for a token that is no upload, the preview, the confirmation and the cancelling are
    404 (the confirmation itself is tested in ``test_spend_preview``)."""
    url, seen = f"/places/{w.slug(side)}/spend/pending/{'0' * 32}/", PARTNERS[side]
    return [
        get(url, seen, ok=404),
        post(url, seen, ok=404, data={"do": "confirm"}),
        post(url, seen, ok=404, data={"do": "cancel"}),
    ]


def place_allocation(w: World, side: str) -> list[Call]:
    url = f"/places/{w.slug(side)}/allocation/"
    return [get(url, PARTNERS[side]), get(f"{url}?format=xlsx", PARTNERS[side])]


def allocation_builder(w: World, side: str) -> list[Call]:
    """An analyst of a partner saves a place; replacing one is for its owner's analysts,
    who are asked first (200) and replace it once they say so."""
    url, seen = f"/places/{w.slug(side)}/allocation/builder/", PARTNERS[side]
    analyst, owner = need(P.ANALYSE, seen), need(P.ANALYSE, {HOST[side]})
    fields = {"year": "2025/26", "icb": "QWO", "practices": "B85005"}
    mine = {**fields, "name": SAVED_PLACE[side]}
    return [
        get(url, seen),
        get(f"{url}?year=2025/26&icb=QWO&practices=B85005&pick=council:E08000034", seen),
        post(url, seen, analyst, data={**fields, "name": "Walk practices"}),
        post(url, seen, analyst, owner, ok=200, data=mine),
        post(url, seen, analyst, owner, data={**mine, "replace": "yes"}),
    ]


def allocation_session(w: World, side: str) -> list[Call]:
    """Bringing in a session that replaces the owner's place is asked about (200), then
    done with the session carried over by the confirmation."""
    url, seen = f"/places/{w.slug(side)}/allocation/session.json", PARTNERS[side]
    upload = {"file": ("session.json", w.session_json[side])}
    checks = (need(P.ANALYSE, seen), need(P.ANALYSE, {HOST[side]}))
    carried = {"year": "2025/26", "session": w.session_json[side].decode(), "replace": "yes"}
    return [
        get(url, seen),
        post(url, seen, *checks, ok=200, data={"year": "2025/26"}, files=upload),
        post(url, seen, *checks, data=carried),
    ]


def allocation_budget(w: World, side: str) -> list[Call]:
    url, seen = f"/places/{w.slug(side)}/allocation/budget/", PARTNERS[side]
    return [get(url, seen), post(url, seen, need(P.ANALYSE, seen), data={"text": budget(side)})]


def allocation_budget_form(w: World, side: str) -> list[Call]:
    """The form: anyone of the place sees it; adding a row, a refused budget and a saved
    one are for its partners' analysts."""
    url, seen = f"/places/{w.slug(side)}/allocation/allocate/", PARTNERS[side]
    analyst = need(P.ANALYSE, seen)
    row = {"rows": "1", "c0-name": "C", "c0-share": "100%", "c0-need": "G&A"}
    form = {"total": BUDGET[side], "place": str(w.saved_place[side]), **row}
    return [
        get(url, seen),
        post(url, seen, analyst, ok=200, data={**form, "add": "component"}),
        post(url, seen, analyst, ok=400, data={**form, "total": "fifty"}),
        post(url, seen, analyst, data=form),
    ]


def allocation_delete(w: World, side: str) -> list[Call]:
    seen, other = PARTNERS[side], "b" if side == "a" else "a"
    url = f"/places/{w.slug(side)}/allocation/places/{{}}/delete/"
    checks = (need(P.ANALYSE, seen), need(P.ANALYSE, {HOST[side]}))
    return [
        get(url.format(w.saved_place[side]), seen, *checks),  # the confirmation
        post(url.format(w.saved_place[side]), seen, *checks),
        get(url.format(w.saved_place[other]), seen, ok=404),  # the other place's
        post(url.format(w.saved_place[other]), seen, ok=404),
    ]


def bcf_pages(w: World, side: str) -> dict[str, list[Call]]:
    """The plan's pages by route: anyone of the place reads them; a partner's commissioner
    records a version; agreeing is a partner's finance lead's (for their own organisation);
    sign-off is the council's commissioner's, assurance either partner's, and the fund a
    pool manager's of its host. The plan is a draft, so each permitted step is refused with
    its reason (400, or a message on the plan's page) and changes nothing."""
    seen, host = PARTNERS[side], {HOST[side]}
    base = f"/places/{w.slug(side)}/better-care-fund/"
    plan, day = f"{base}2025-26/", {"date-day": "1", "date-month": "4", "date-year": "2025"}
    yaml = ("plan.yaml", bcf_plan(w, side).encode())
    return {
        "place_bcf": [get(base, seen)],
        "place_bcf_upload": [
            get(f"{base}upload/", seen),
            post(f"{base}upload/", seen, need(P.COMMISSION, seen), files={"file": yaml}),
            post(f"{base}upload/", seen, need(P.COMMISSION, seen), ok=400,
                 files={"file": NOT_UTF8}),
        ],
        "place_bcf_plan": [get(plan, seen), get(f"{plan}?version=1", seen)],
        "place_bcf_schemes": [get(f"{plan}schemes/", seen)],
        "place_bcf_metrics": [get(f"{plan}metrics/", seen)],
        "place_bcf_capacity": [
            get(f"{plan}capacity/", seen), get(f"{plan}capacity/?version=1", seen)
        ],
        "place_bcf_download": [
            get(f"{plan}plan.yaml", seen),
            get(f"{plan}plan.xlsx", seen),
            get(f"{plan}plan.pdf", seen, ok=404),
        ],
        "place_bcf_agree": [
            post(f"{plan}agree/", seen, need(P.APPROVE_SETTLEMENT, seen), data={"partner": "{org}"})
        ],
        "place_bcf_sign_off": [
            get(f"{plan}sign-off/", seen),
            post(f"{plan}sign-off/", seen, need(P.COMMISSION, host), ok=400,
                 data={"named_person": "Walk", **day}),
        ],
        "place_bcf_assure": [
            get(f"{plan}assure/", seen),
            post(f"{plan}assure/", seen, need(P.COMMISSION, seen), ok=400, data=day),
        ],
        "place_bcf_returns": [get(f"{plan}returns/", seen)],
        "place_bcf_return": [  # a draft plan has no returns: 404 for its partners too
            get(f"{plan}returns/Q1/", seen, ok=404),
            post(f"{plan}returns/Q1/", seen, ok=404),
        ],
        "place_bcf_return_file": [get(f"{plan}returns/Q1/1.xlsx", seen, ok=404)],
        "place_bcf_fund": [
            post(f"{plan}fund/", seen, need(P.POST_TO_POOL, host),
                 data={"host": w.code(HOST[side]), "pool_manager": "Walk"}),
        ],
    }  # fmt: skip


BCF_ROUTES = (
    "place_bcf", "place_bcf_upload", "place_bcf_plan", "place_bcf_schemes", "place_bcf_metrics",
    "place_bcf_capacity",
    "place_bcf_download", "place_bcf_agree", "place_bcf_sign_off", "place_bcf_assure",
    "place_bcf_fund", "place_bcf_returns", "place_bcf_return", "place_bcf_return_file",
)  # fmt: skip


def bcf_form_pages(w: World, side: str) -> dict[str, list[Call]]:
    """The forms that write the plan: anyone of the place sees them; a partner's
    commissioner saves a new version from each (the plan is a draft), and a scheme's
    problems come back to them (400). A refused POST changes nothing."""
    seen, plan = PARTNERS[side], f"/places/{w.slug(side)}/better-care-fund/2025-26/"
    commissioner = need(P.COMMISSION, seen)
    f03 = {
        "version": "1", "scheme-name": "Step-down beds", "scheme-type": "Intermediate care",
        "commissioner": "joint", "split-council": "60", "split-icb": "40", "provider": "Walk",
        "source": "nhs_minimum", "spend": "4277800.00", "outputs": "0",
    }  # fmt: skip
    scheme, new, remove = f"{plan}schemes/F03/", f"{plan}schemes/new/", f"{plan}schemes/F03/remove/"
    return {
        "place_bcf_scheme": [
            get(scheme, seen),
            get(f"{plan}schemes/F99/", seen, ok=404),
            post(f"{plan}schemes/F99/", seen, ok=404),
            post(scheme, seen, commissioner, data=f03),
            post(scheme, seen, commissioner, ok=400, data=f03 | {"spend": "lots"}),
        ],
        "place_bcf_scheme_new": [
            get(new, seen), post(new, seen, commissioner, data=f03 | {"scheme-id": "F11"}),
        ],
        "place_bcf_scheme_remove": [
            get(remove, seen), post(remove, seen, commissioner, data={"version": "1"}),
        ],
        "place_bcf_allocations": [
            get(f"{plan}allocations/", seen),
            post(f"{plan}allocations/", seen, commissioner,
                 data={"version": "1", "allocations-dfg": "3000000"}),
        ],
        "place_bcf_conditions": [
            get(f"{plan}conditions/", seen),
            post(f"{plan}conditions/", seen, commissioner,
                 data={"version": "1", "conditions-NC2-confirmed": "no"}),
        ],
        "place_bcf_trajectories": [
            get(f"{plan}metrics/trajectories/", seen),
            post(f"{plan}metrics/trajectories/", seen, commissioner,
                 data={"version": "1", "metrics-discharge-delays-Q1": "1.4"}),
        ],
    }  # fmt: skip


BCF_FORM_ROUTES = (
    "place_bcf_scheme", "place_bcf_scheme_new", "place_bcf_scheme_remove",
    "place_bcf_allocations", "place_bcf_conditions", "place_bcf_trajectories",
)  # fmt: skip


def contract_pages(w: World, side: str) -> dict[str, list[Call]]:
    """A place's contracts: anyone of the place reads them (both partners commission, so
    see all). A version or a period's statements are recorded by a commissioner of the
    contract's commissioner (the host council), anyone's refusal changing nothing; posting
    to the fund is its host's pool manager's. No one here is the provider, so a dispute is
    refused to all (403), and there is none to decide (404)."""
    seen, host = PARTNERS[side], {HOST[side]}
    base = f"/places/{w.slug(side)}/contracts/"
    page, period = f"{base}{w.contract[side]}/", f"{base}{w.contract[side]}/statements/2025-Q1/"
    statement = f"{period}ZZW0{side.upper()}/"
    changed = ("contract.yaml", contract_text(w, side, annual="12400.00").encode())
    inputs = ("inputs.yaml", b"2025-Q9: {volume: {}}\n")
    nobody = need(P.VIEW, frozenset())
    return {
        "place_contracts": [get(base, seen)],
        "place_contract_record": [
            get(f"{base}record/", seen),
            post(f"{base}record/", seen, need(P.COMMISSION, seen), need(P.COMMISSION, host),
                 files={"file": changed}),
            post(f"{base}record/", seen, need(P.COMMISSION, seen), ok=400,
                 files={"file": NOT_UTF8}),
        ],
        "place_contract": [get(page, seen), get(f"{base}999999/", seen, ok=404)],
        "place_contract_write": [
            get(f"{base}write/", seen),
            post(f"{base}write/", seen, need(P.COMMISSION, seen), ok=400,
                 data={"name": "Walk", "annual_value": "lots"}),
        ],
        "place_contract_edit": [
            get(f"{page}edit/", seen),
            post(f"{page}edit/", seen, need(P.COMMISSION, host), ok=400,
                 data={"name": "Walk", "annual_value": "lots"}),
        ],
        "place_contract_file": [
            get(f"{page}versions/1.yaml", seen), get(f"{page}versions/99.yaml", seen, ok=404),
        ],
        "contract_statements_new": [
            get(f"{page}statements/new/", seen),
            post(f"{page}statements/new/", seen, need(P.COMMISSION, host), ok=400,
                 data={"period": "2025-Q9"}, files={"file": inputs}),
        ],
        "contract_statements_post": [post(f"{period}post/", seen, need(P.POST_TO_POOL, host))],
        "contract_statement": [get(statement, seen), get(f"{period}ZZQ99/", seen, ok=404)],
        "contract_statement_file": [get(f"{statement}statement.xlsx", seen)],
        "contract_dispute": [
            get(statement + "dispute/", seen),
            post(statement + "dispute/", seen, nobody, data={"step": "0", "reason": "Walk"}),
        ],
        "contract_dispute_decide": [
            get(f"{statement}disputes/1/", seen, ok=404),
            post(f"{statement}disputes/1/", seen, ok=404, data={"upheld": "yes"}),
        ],
    }  # fmt: skip


CONTRACT_ROUTES = (
    "place_contracts", "place_contract_record", "place_contract", "place_contract_file",
    "place_contract_write", "place_contract_edit",
    "contract_statements_new", "contract_statements_post", "contract_statement",
    "contract_statement_file", "contract_dispute", "contract_dispute_decide",
)  # fmt: skip


def scenario_pages(w: World, side: str) -> dict[str, list[Call]]:
    """A place's saved scenarios: its council and ICB read them (here both partners). Saving
    one is for anyone who may analyse at either; withdrawing, at the owner (the council,
    whose analyst saved it). A save here is refused or a form's problem (400): modelling is
    not what the walk tests, and it rolls back."""
    seen, owner = PARTNERS[side], {HOST[side]}
    base = f"/places/{w.slug(side)}/scenarios/"
    page = f"{base}{w.scenario[side]}/"
    analyse = need(P.ANALYSE, seen)
    return {
        "place_scenarios": [get(base, seen)],
        "place_scenario_new": [
            get(f"{base}new/", seen),
            post(f"{base}new/", seen, analyse, ok=400, data={"name": "", "years": "99"}),
        ],
        "place_scenario_upload": [
            get(f"{base}upload/", seen),
            post(f"{base}upload/", seen, analyse, ok=400, files={"file": NOT_UTF8}),
        ],
        "place_scenario": [get(page, seen), get(f"{base}999999/", seen, ok=404)],
        "place_scenario_file": [get(f"{page}scenario.yaml", seen)],
        "place_scenario_projection": [get(f"{page}projection.csv", seen)],
        "place_scenario_workbook": [get(f"{page}scenario.xlsx", seen)],
        "place_scenario_variation": [get(f"{page}variation.yaml", seen)],
        "place_scenario_withdraw": [
            get(f"{page}withdraw/", seen),
            post(f"{page}withdraw/", seen, need(P.ANALYSE, owner), data={"reason": "Walk"}),
        ],
    }


SCENARIO_ROUTES = (
    "place_scenarios", "place_scenario_new", "place_scenario_upload", "place_scenario",
    "place_scenario_file", "place_scenario_projection", "place_scenario_workbook",
    "place_scenario_variation", "place_scenario_withdraw",
)  # fmt: skip


def bcf_route(name: str) -> Callable[[World], list[Call]]:
    return per_side(lambda w, s: (bcf_pages(w, s) | bcf_form_pages(w, s))[name])


def api(url: str, seen_by: frozenset[str] | None = None, **more) -> Call:
    return Call("GET", url, seen_by, api=True, **more)


def api_per_side(path: str) -> Callable[[World], list[Call]]:
    return per_side(lambda w, s: [api(path.format(slug=w.slug(s), fund=w.fund(s)), PARTNERS[s])])


def api_tokens(w: World) -> list[Call]:
    """Your own tokens: revoke yours; anyone else's is 404 (here the council viewer's)."""
    theirs = str(w.token_ids[("council_a", Role.VIEWER)])
    holder = Check(frozenset({Role.VIEWER}), frozenset({"council_a"}), 404)
    return [
        get("/account/tokens/"),
        post("/account/tokens/", None, data={"token": "{token}"}),
        post("/account/tokens/", None, holder, data={"token": theirs}),
    ]


def people_pages(w: World, org: str) -> list[Call]:
    """An organisation's people, managed by its admins: each form names a member of it (its
    viewer), and one names another organisation's member, which is 404 even to an admin."""
    from onebudget_web.accounts.models import Membership

    base, seen, admin = f"/organisations/{w.code(org)}/people/", frozenset({org}), {org}
    check = need(P.MANAGE_MEMBERS, admin)
    viewer = w.people[(org, Role.VIEWER)]
    stranger = next(w.people[(o, Role.VIEWER)] for o in PEOPLE_IN if o != org)
    membership = Membership.objects.get(user=viewer, organisation=w.orgs[org])
    invite = {"full_name": "Walk Invitee", "username": "walk-invitee", "roles": "viewer"}
    return [
        get(base, seen, check),
        get(f"{base}invite/", seen, check),
        post(f"{base}invite/", seen, check, ok=200, data=invite),  # the link, shown once
        post(f"{base}invitations/withdraw/", seen, check, ok=404, data={"invitation": "0"}),
        post(f"{base}roles/grant/", seen, check, data={"user": str(viewer.pk), "role": "analyst"}),
        post(
            f"{base}roles/grant/",
            seen,
            check,
            ok=404,
            data={"user": str(stranger.pk), "role": "analyst"},
        ),
        post(f"{base}roles/withdraw/", seen, check, data={"membership": str(membership.pk)}),
        post(
            f"{base}tokens/revoke/",
            seen,
            check,
            data={"token": str(w.token_ids[(org, Role.VIEWER)])},
        ),
        get(f"{base}{viewer.pk}/disable/", seen, check),
        post(f"{base}{viewer.pk}/disable/", seen, check),
    ]


def people_route(path: str) -> Callable[[World], list[Call]]:
    """The calls of ``people_pages`` to one route: its path after ``people/`` (``*`` for the
    member's id)."""

    def own(w: World, org: str, url: str) -> bool:
        parts = url.removeprefix(f"/organisations/{w.code(org)}/people/").rstrip("/").split("/")
        return "/".join("*" if part.isdigit() else part for part in parts) == path

    return lambda w: [
        call for org in PEOPLE_IN for call in people_pages(w, org) if own(w, org, call.url)
    ]


def two_factor_pages(path: str, *posts: dict[str, str], get_ok: int = 200) -> Callable:
    """The signed-in person's own two-factor pages: a wrong code is the form again (200)."""
    url = f"/account/two-factor/{path}"
    return lambda w: [
        get(url, ok=get_ok),
        *(post(url, None, ok=get_ok, data=data) for data in posts),
    ]


def open_page(url: str, *methods: str, **more) -> Callable[[World], list[Call]]:
    """A page for everyone, signed in or not (the password reset's)."""
    return lambda w: [Call(m, url, anonymous=more.get("ok", 200), **more) for m in methods]


SIGN_IN_DATA = {"username": "no-such-person", "password": "not-the-password"}
PASSWORD_DATA = {
    "old_password": "wrong",
    "new_password1": "x9-Walk-pass-word",
    "new_password2": "x9-Walk-pass-word",
}

ROUTES: dict[str, Callable[[World], list[Call]]] = {
    "home": lambda w: [get("/")],
    "login": lambda w: [  # someone signed in is sent home
        Call(m, "/sign-in/", ok=302, anonymous=200, data=SIGN_IN_DATA)
        for m in ("GET", "HEAD", "POST")
    ],
    "logout": lambda w: [Call("POST", "/sign-out/", ok=302, anonymous=302, signs_out=True)],
    "password_change": lambda w: [  # a wrong old password: the form again, nothing changed
        Call(m, "/account/password/", data=PASSWORD_DATA) for m in ("GET", "HEAD", "POST")
    ],
    "api_tokens": api_tokens,
    "healthz": lambda w: [get("/healthz", anonymous=200)],
    "two_factor": two_factor_pages(
        "", {"new_codes": "1", "codes-code": "000000"}, {"remove": "1", "remove-code": "000000"}
    ),
    "two_factor_set_up": two_factor_pages("set-up/", {"code": "000000"}),
    # already verified (force_login marks it so): on to the page asked for
    "two_factor_verify": two_factor_pages("code/", {"code": "000000"}, get_ok=302),
    "password_reset": lambda w: [
        *open_page("/account/password-reset/", "GET", "HEAD")(w),
        Call(
            "POST",
            "/account/password-reset/",
            ok=302,
            anonymous=302,
            data={"email": "nobody@example.invalid"},  # the same answer: no account told
        ),
    ],
    "password_reset_done": open_page("/account/password-reset/sent/", "GET", "HEAD"),
    "password_reset_confirm": open_page(  # a link that is no link: says so, changes nothing
        "/account/password-reset/MQ/no-such-token/", "GET", "HEAD", "POST"
    ),
    "password_reset_complete": open_page("/account/password-reset/done/", "GET", "HEAD"),
    "people": people_route(""),
    "people_invite": people_route("invite"),
    "people_invitation_withdraw": people_route("invitations/withdraw"),
    "people_role_grant": people_route("roles/grant"),
    "people_role_withdraw": people_route("roles/withdraw"),
    "people_token_revoke": people_route("tokens/revoke"),
    "people_disable": people_route("*/disable"),
    "invitation_accept": lambda w: [
        Call(m, "/invitations/no-such-link/", ok=404, anonymous=404) for m in ("GET", "POST")
    ],
    "organisation": per_organisation("/organisations/{code}/"),
    "organisation_activity": per_organisation(
        "/organisations/{code}/activity/", lambda o: need(P.VIEW_AUDIT, {o})
    ),
    "place": per_side(lambda w, s: [get(f"/places/{w.slug(s)}/", PARTNERS[s])]),
    "place_outcomes": per_side(place_outcomes),
    "place_indicator": per_side(place_indicator),
    "place_indicator_target": per_side(place_indicator_target),
    "fund": per_side(lambda w, s: fund_pages(w, s, "")),
    "fund_agreement": per_side(lambda w, s: fund_pages(w, s, "agreement.yaml")),
    "fund_ledger": per_side(fund_ledger),
    "fund_period": per_side(
        lambda w, s: [
            get(f"/funds/{w.fund(s)}/ledger/2025-04/", PARTNERS[s]),
            get(f"/funds/{w.fund(s)}/ledger/2024-01/", PARTNERS[s], ok=404),
        ]
    ),
    "fund_actuals": per_side(fund_actuals),
    "fund_monitoring": per_side(
        lambda w, s: fund_pages(
            w,
            s,
            "monitoring/",
            "?month=6",
            "?month=June",
            "?format=xlsx",
            "?month=6&format=xlsx",
            "?format=csv",
        )
    ),
    "fund_agreement_edit": per_side(fund_agreement_edit),
    "place_spend": per_side(place_spend),
    "place_spend_upload": per_side(place_spend_upload),
    "place_spend_pending": per_side(place_spend_pending),
    "place_new_fund": per_side(place_new_fund),
    "fund_settlement": per_side(fund_settlement),
    "fund_settlement_xlsx": per_side(lambda w, s: fund_pages(w, s, "settlement.xlsx")),
    "place_allocation": per_side(place_allocation),
    "place_allocation_builder": per_side(allocation_builder),
    "place_allocation_session": per_side(allocation_session),
    "place_allocation_budget": per_side(allocation_budget),
    "place_allocation_delete": per_side(allocation_delete),
    "place_allocation_budget_form": per_side(allocation_budget_form),
    "place_allocation_budget_yaml": per_side(
        lambda w, s: [get(f"/places/{w.slug(s)}/allocation/budget.yaml", PARTNERS[s])]
    ),
    **{name: bcf_route(name) for name in BCF_ROUTES},
    **{name: bcf_route(name) for name in BCF_FORM_ROUTES},
    **{name: per_side(lambda w, s, n=name: contract_pages(w, s)[n]) for name in CONTRACT_ROUTES},
    **{name: per_side(lambda w, s, n=name: scenario_pages(w, s)[n]) for name in SCENARIO_ROUTES},
    "api:api-root": lambda w: [  # ninja's root only names the docs: 404 for anyone
        Call(m, "/api/", ok=404, anonymous=404, api=True) for m in ("GET", "HEAD", "POST")
    ],
    "api:openapi-json": lambda w: [
        api("/api/openapi.json"),
        Call("HEAD", "/api/openapi.json", api=True),
    ],
    "api:openapi-view": lambda w: [
        api("/api/docs", refusal=302),
        Call("HEAD", "/api/docs", api=True, refusal=302),
    ],
    "api:me": lambda w: [api("/api/me")],
    "api:list_organisations": lambda w: [api("/api/organisations")],
    "api:list_places": lambda w: [api("/api/places")],
    "api:list_funds": lambda w: [api("/api/funds")],
    "api:get_organisation": lambda w: [
        api(f"/api/organisations/{w.code(o)}", frozenset({o})) for o in ORGANISATIONS
    ],
    "api:get_place": api_per_side("/api/places/{slug}"),
    "api:get_fund": api_per_side("/api/funds/{fund}"),
    "api:get_settlement": api_per_side("/api/funds/{fund}/settlement"),
    "api:get_allocation": api_per_side("/api/places/{slug}/allocation"),
    "api:list_bcf_plans": api_per_side("/api/places/{slug}/better-care-fund"),
    "api:get_bcf_plan": api_per_side("/api/places/{slug}/better-care-fund/2025-26"),
    "api:list_contracts": api_per_side("/api/places/{slug}/contracts"),
    "api:list_scenarios": api_per_side("/api/places/{slug}/scenarios"),
    "api:get_scenario": per_side(
        lambda w, s: [api(f"/api/places/{w.slug(s)}/scenarios/{w.scenario[s]}", PARTNERS[s])]
    ),
    "api:list_statements": per_side(
        lambda w, s: [
            api(f"/api/places/{w.slug(s)}/contracts/{w.contract[s]}/statements", PARTNERS[s])
        ]
    ),
}


def route_names(patterns: list, namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or pattern.pattern}"


def test_every_route_is_in_the_walk() -> None:
    names = set(route_names(get_resolver().url_patterns))
    assert names == set(ROUTES), (
        f"routes missing from the walk: {sorted(names - set(ROUTES))}; "
        f"routes no longer there: {sorted(set(ROUTES) - names)}"
    )


@pytest.fixture(scope="session")
def walk_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic linked data for both places, generated once (their outcome pages need it)."""
    from onebudget.population.synth.generate import SynthConfig, generate
    from onebudget.population.synth.writer import write

    out = tmp_path_factory.mktemp("route-walk") / "data"
    write(generate(SynthConfig(persons=1500, seed=1, name="Walk data")), out, finance=False)
    return out


@pytest.fixture
def world(walk_data: Path) -> World:
    """Built for each test that asks, in its transaction (``DATABASE`` gives the access)."""
    return build_world(walk_data)


def sign_in(client, user) -> None:
    client.force_login(user)


@pytest.fixture
def walker(client, world: World, monkeypatch: pytest.MonkeyPatch):
    """``walk`` over the given routes (all by default), as every viewer. Thousands of 4xx
    are expected, so Django's warning for each is not logged (a 5xx still is)."""
    for name in ("django.request", "django.security", "axes"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.ERROR)

    def run(routes: dict | None = None):
        return walk(client, world, routes if routes is not None else ROUTES, sign_in)

    return run


# The walk asks for the database with the mark, not the ``db`` fixture, so tests/conftest.py
# does not mark it ``database``: the PostgreSQL run (``pytest -m database``) leaves it out.
# Scoping and permissions are decided in Python, the same on either database, and a second
# run would add the walk's whole time again to CI.
DATABASE = pytest.mark.django_db


GROUPS = 8
# No one, and each role of each organisation with people, by session and by token
EVERY_VIEWER = 1 + 2 * len(PEOPLE_IN) * len(Role)
# Between them these show each side all its secrets (measured with ``Report.seen``): its
# organisations' names and codes and its people (``api:me``), its place and fund, with the
# contributions formatted and as agreed, its budget and saved places, and its spend with
# the unmapped line. Each group sees only some of the secrets, so this walk keeps the check
# that every one is shown to its own side, without which its absence elsewhere proves
# nothing. If a page here stops showing one, add a route that does.
SHOWN_BY = ("api:me", "fund", "fund_agreement", "place_allocation_budget_form", "place_spend")


def group(index: int) -> dict[str, Callable[[World], list[Call]]]:
    """Every ``GROUPS``-th route by name from the ``index``-th: the slow kinds of page (named
    alike) are spread over the groups, and a new route lands in one."""
    return {name: ROUTES[name] for name in sorted(ROUTES)[index::GROUPS]}


def test_the_groups_walk_every_route_once() -> None:
    assert sorted(name for index in range(GROUPS) for name in group(index)) == sorted(ROUTES)


@DATABASE
@pytest.mark.parametrize("index", range(GROUPS))
def test_every_route_answers_as_the_table_says(walker, index: int) -> None:
    routes = group(index)
    report = walker(routes)
    assert report.failures == [], str(report)
    # the walk is not quietly skipping: each route was asked at least once by every viewer
    asked = {name: report.asked.get(name, 0) for name in routes}
    assert {name: n for name, n in asked.items() if n < EVERY_VIEWER} == {}


@DATABASE
def test_every_secret_is_shown_to_its_own_side(walker, world: World) -> None:
    report = walker({name: ROUTES[name] for name in SHOWN_BY})
    assert report.failures == [], str(report)
    secrets = set(secrets_of(world, "a") + secrets_of(world, "b"))
    assert secrets - report.seen == set(), "shown by none of SHOWN_BY"


@DATABASE
def test_the_walk_fails_when_a_write_loses_its_permission_check(walker, monkeypatch) -> None:
    """Closing a month checks, in ``funds.actions.close_period``, that the user is the host's
    pool manager (``_require``; the ledger page itself asks nothing before acting). With that
    check gone, the walk must report the viewers it should have refused, and nothing else."""
    from onebudget_web.funds import actions

    monkeypatch.setattr(actions, "_require", lambda *args, **kwargs: None)
    failures = walker({"fund_ledger": ROUTES["fund_ledger"]}).failures
    assert {(f.route, f.call.data.get("do")) for f in failures} == {("fund_ledger", "close")}
    should_refuse = {
        Viewer(org, role)
        for side, host in HOST.items()
        for org in PARTNERS[side] & set(PEOPLE_IN)
        for role in Role
        if (org, role) != (host, Role.POOL_MANAGER)
    }
    assert {f.viewer for f in failures} == should_refuse
    assert {f.problem for f in failures} >= {"answered 302, expected 403"}
    assert any(f.problem.startswith("a refused write changed") for f in failures)


@DATABASE
def test_the_walk_fails_when_a_read_loses_its_scope(walker, monkeypatch) -> None:
    """With the place page's scoped read replaced by a plain one, each outsider opens the
    other side's place, and the walk reports both the status and what it showed."""
    from onebudget_web.places import selectors
    from onebudget_web.places.models import Place

    monkeypatch.setattr(selectors, "get_place_for", lambda user, slug: Place.objects.get(slug=slug))
    failures = walker({"place": ROUTES["place"]}).failures
    outsiders = {f.viewer.org for f in failures}
    assert outsiders == set(PEOPLE_IN)  # each side opened the other's place
    assert {"answered 200, expected 404", "showed 'Aldmoor Place'"} <= {f.problem for f in failures}
    assert "showed 'Brindlecombe Council'" in {f.problem for f in failures}
