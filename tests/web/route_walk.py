"""The route walk's engine: who asks (a ``Viewer``), what is asked (a ``Call``), what the
table expects of it, and ``walk``, which sends every call as every viewer and returns every
way an answer differed from the table (nothing, when all is well).

A viewer is one person holding one role in one organisation, signed in by session or
presenting their API token, or no one. For each call the walk checks the status, that a
redirect to sign in goes there (and a success does not), that no answer holds another
side's names, codes or money, and that a refused write changed no row of any table.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from onebudget.roles import Permission, Role
from tests.web.route_walk_world import HOST, PEOPLE_IN, SIDE_OF, UNMAPPED, World, secrets_of

METHODS = ("GET", "HEAD", "POST")
SIGN_IN = "/sign-in/"
# A method a route does not take is refused (405) before anything about the person is
# looked at (the method decorators are outermost), so it is sent by no one and by each
# organisation's viewer, by session and by token, not by every role: a fifth of the time.
WRONG_METHODS_BY = (None, Role.VIEWER)


@dataclass(frozen=True)
class Check:
    """One of ``roles`` held at one of ``at`` (organisation keys), or ``refused``."""

    roles: frozenset[Role]
    at: frozenset[str]
    refused: int = 403


def need(permission: Permission, at: frozenset[str] | set[str], refused: int = 403) -> Check:
    """A role with ``permission`` at one of ``at``: the table says who may, from the roles
    (``onebudget.roles``), never from the code under test."""
    holders = frozenset(r for r in Role if permission in r.permissions)
    return Check(holders, frozenset(at), refused)


@dataclass(frozen=True)
class Call:
    """One request and what the table expects of it.

    ``seen_by``: the organisations whose people get past the scoped read (anyone else: 404;
    None: anyone signed in). ``checks``: then each in turn, or its refusal. ``ok``: the
    answer when all pass. ``data``/``files``: form fields and uploads, where ``{org}`` is
    the viewer's organisation's code and ``{token}`` their API token's id. ``anonymous``:
    what someone signed out gets, if it is not refused them (with a redirect to sign in from
    a page, 401 from the API, or ``refusal``). ``api``: a bearer token counts.
    """

    method: str
    url: str
    seen_by: frozenset[str] | None = None
    checks: tuple[Check, ...] = ()
    ok: int = 200
    data: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)  # name, content
    anonymous: int | None = None
    refusal: int | None = None  # how someone signed out is refused, if not as said above
    api: bool = False
    signs_out: bool = False  # the session is gone after it: sign in again
    wrong_method: bool = False  # a method the route does not take: 405 for anyone

    def __str__(self) -> str:
        fields = ", ".join(f"{k}={v[:24]}" for k, v in self.data.items())
        return f"{self.method} {self.url}" + (f" ({fields})" if fields else "")


@dataclass(frozen=True)
class Viewer:
    org: str | None = None  # None: no one signed in
    role: Role | None = None
    bearer: bool = False  # presents their API token instead of a session

    @property
    def side(self) -> str | None:
        return SIDE_OF[self.org] if self.org else None

    def __str__(self) -> str:
        who = f"{self.role} at {self.org}" if self.org else "no one"
        return f"{who} ({'token' if self.bearer else 'session'})"


@dataclass(frozen=True)
class Failure:
    route: str
    call: Call
    viewer: Viewer
    problem: str

    def __str__(self) -> str:
        return f"{self.route}: {self.call} as {self.viewer}: {self.problem}"


@dataclass
class Report:
    requests: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # by route
    asked: dict[str, int] = field(default_factory=dict)  # requests, by route
    seen: set[str] = field(default_factory=set)  # secrets their own side was shown

    def __str__(self) -> str:
        shown = "\n".join(str(f) for f in self.failures[:40])
        slowest = sorted(self.seconds.items(), key=lambda kv: -kv[1])[:5]
        took = ", ".join(f"{route} {seconds:.1f} s" for route, seconds in slowest)
        return (
            f"{len(self.failures)} failures in {self.requests} requests "
            f"(slowest routes: {took}):\n{shown}"
        )


def viewers() -> Iterator[Viewer]:
    yield Viewer()
    for org in PEOPLE_IN:
        for role in Role:
            yield Viewer(org, role)
            yield Viewer(org, role, bearer=True)


def expected(call: Call, viewer: Viewer) -> tuple[int, bool]:
    """The status the table expects, and whether it is a refusal (nothing may change)."""
    if call.wrong_method:
        return 405, True
    if viewer.org is None or (viewer.bearer and not call.api):  # a token opens no page
        if call.anonymous is not None:
            return call.anonymous, False
        return call.refusal or (401 if call.api else 302), True
    if call.seen_by is not None and viewer.org not in call.seen_by:
        return 404, True
    for check in call.checks:
        if viewer.role not in check.roles or viewer.org not in check.at:
            return check.refused, True
    return call.ok, False


def with_wrong_methods(calls: list[Call]) -> list[Call]:
    """The calls, and for each URL every method of ``METHODS`` it does not take: 405."""
    taken: dict[str, set[str]] = {}
    for call in calls:
        taken.setdefault(urlsplit(call.url).path, set()).add(call.method)
    wrong = [
        Call(method, path, ok=405, api=path.startswith("/api/"), wrong_method=True)
        for path, methods in taken.items()
        for method in METHODS
        if method not in methods
    ]
    return calls + wrong


@dataclass(frozen=True)
class Plan:
    """What every request of one walk needs: the world, its secrets, the tables to count."""

    world: World
    secrets: dict[str, list[str]]
    tables: list[str]

    def forbidden(self, viewer: Viewer, call: Call) -> list[str]:
        """What the viewer may not see: everything when signed out (a token opens no page),
        the other side's records, and the line detail of organisations not theirs."""
        if not signed_in(viewer, call):
            return self.secrets["a"] + self.secrets["b"]
        other = "b" if viewer.side == "a" else "a"
        lines = [UNMAPPED[side] for side, host in HOST.items() if host != viewer.org]
        return [*self.secrets[other], *lines]


def signed_in(viewer: Viewer, call: Call) -> bool:
    return viewer.org is not None and (call.api or not viewer.bearer)


def walk(
    client: Any,
    world: World,
    routes: Mapping[str, Callable[[World], list[Call]]],
    sign_in: Callable[[Any, Any], None],
) -> Report:
    """Every call of every route, as every viewer."""
    report = Report()
    plan = Plan(world, {side: secrets_of(world, side) for side in HOST}, _tables())
    planned = {name: with_wrong_methods(calls(world)) for name, calls in routes.items()}
    for viewer in viewers():
        _become(client, world, viewer, sign_in)
        for name, calls in planned.items():
            started = time.perf_counter()
            for call in calls:
                if call.wrong_method and viewer.role not in WRONG_METHODS_BY:
                    continue
                problems = _ask(client, plan, call, viewer, report.seen)
                report.requests += 1
                report.asked[name] = report.asked.get(name, 0) + 1
                report.failures += [Failure(name, call, viewer, p) for p in problems]
                if call.signs_out and viewer.org and not viewer.bearer:
                    _become(client, world, viewer, sign_in)
            took = time.perf_counter() - started
            report.seconds[name] = report.seconds.get(name, 0.0) + took
    return report


def _become(client: Any, world: World, viewer: Viewer, sign_in: Callable[[Any, Any], None]) -> None:
    client.logout()
    if viewer.org is not None and viewer.role is not None and not viewer.bearer:
        sign_in(client, world.people[(viewer.org, viewer.role)])


def _ask(client: Any, plan: Plan, call: Call, viewer: Viewer, seen: set[str]) -> list[str]:
    """Send one call as one viewer (rolled back after) and say what differed from the table;
    add to ``seen`` the viewer's own side's secrets it showed them."""
    status, refused = expected(call, viewer)
    counting, tables = refused and call.method == "POST", plan.tables
    with transaction.atomic():
        before = _counts(tables) if counting else None
        try:
            response = _send(client, plan.world, call, viewer)
        except Exception as error:  # a bug in a view: reported with the rest
            transaction.set_rollback(True)
            return [f"raised {error!r}"]
        after = _counts(tables) if counting else None
        transaction.set_rollback(True)
    problems = _status_problems(response, status, refused)
    if before != after:
        changed = [t for t, b, a in zip(tables, before or [], after or [], strict=True) if b != a]
        problems.append(f"a refused write changed {changed}")
    body = _text_of(response)
    problems += [f"showed {s!r}" for s in plan.forbidden(viewer, call) if s in body]
    if signed_in(viewer, call) and viewer.side is not None:
        seen.update(s for s in plan.secrets[viewer.side] if s in body)
    return problems


def _status_problems(response: Any, status: int, refused: bool) -> list[str]:
    got = response.status_code
    if got != status:
        return [f"answered {got}, expected {status}"]
    to_sign_in = response.get("Location", "").startswith(f"{SIGN_IN}?next=")
    if got == 302 and refused != to_sign_in:  # sent to sign in, or a write went through
        return [f"redirected to {response['Location']}"]
    return []


def _send(client: Any, world: World, call: Call, viewer: Viewer) -> Any:
    headers = {}
    if viewer.bearer and viewer.org is not None and viewer.role is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[(viewer.org, viewer.role)]}"
    fill = _filler(world, viewer)
    if call.method == "POST":
        data: dict[str, Any] = {k: fill(v) for k, v in call.data.items()}
        for name, (file_name, content) in call.files.items():
            data[name] = SimpleUploadedFile(file_name, _fill_bytes(fill, content))
        return client.post(call.url, data, **headers)
    return client.generic(call.method, call.url, **headers)


def _filler(world: World, viewer: Viewer) -> Callable[[str], str]:
    code = world.code(viewer.org) if viewer.org else ""
    token = str(world.token_ids.get((viewer.org or "", viewer.role or Role.VIEWER), 0))

    def fill(text: str) -> str:
        return text.replace("{org}", code).replace("{token}", token)

    return fill


def _fill_bytes(fill: Callable[[str], str], content: bytes) -> bytes:
    try:
        return fill(content.decode()).encode()
    except UnicodeDecodeError:  # sent as it is: a file that is not text
        return content


def _text_of(response: Any) -> str:
    """A page's text, or for a workbook the text of every part inside it."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            return "".join(book.read(n).decode() for n in book.namelist())
    return str(response.content.decode())


def _tables() -> list[str]:
    """Every table of the service's own apps (and the sign-in throttle's)."""
    return sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m.__module__.startswith(("onebudget_web", "axes"))
        }
    )


def _counts(tables: list[str]) -> list[int]:
    """Rows in each table, in one query."""
    quote = connection.ops.quote_name
    counts = (f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608 (model tables)
    sql = "SELECT " + ", ".join(counts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchone())
