"""The access matrix: every URL pattern × method, asked by every kind of caller, against the answers
written in `matrix.csv` (how to read it: docs/security/access-matrix.md).

One small world is built for the module — a report routed to the police only, with contact details;
a second police report; a joint case; a calendar event and venue; one signed-in member (two factors)
per role in the police and in victim support; two police API tokens — inside a transaction rolled
back at the end. Each row asks its request once per caller, each time in a savepoint that is rolled
back, so every caller of every row meets the same world and no write can change another answer.

A cell is the expected status, `login` (a redirect to the sign-in), and a trailing `+` when the
answer shows the report (its reference, the distinctive word of its description or the reporter's
e-mail). Without `+`, none of them may appear; and when the answer is a refusal (4xx or `login`),
the report, its assignments, messages, notes and history must be exactly as before."""

from __future__ import annotations

import copy
import csv
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from streetlight.accounts.models import User
from streetlight.accounts.signin import REAUTH_KEY
from streetlight.alerts.services import alert_issue
from streetlight.community.drafts import DrillText
from streetlight.community.models import Community
from streetlight.community.services import drill_schedule
from streetlight.companion.drafts import ContactDraft
from streetlight.companion.drafts import WalkDraft as CompanionDraft
from streetlight.companion.services import walk_start
from streetlight.control import services as control_services
from streetlight.control.models import Note
from streetlight.insight.models import ContextEvent, NightlifeVenue
from streetlight.integrations.services import agency_token_create
from streetlight.nightwalks.drafts import WalkDraft
from streetlight.nightwalks.services import walk_create
from streetlight.reports.geo import area_index
from streetlight.reports.models import Category, Report, ReportContact
from streetlight.routing.models import Agency, Assignment
from streetlight.triage.models import TriageModel
from tests.alerts.factories import draft as alert_draft
from tests.staff import member, signed_in

CSV_PATH = Path(__file__).with_name("matrix.csv")
FIXED_COLUMNS = ("pattern", "method", "path", "data")
CALLERS = (
    "anonymous",
    "no_agency",
    "operator",
    "operator_other",
    "case_worker",
    "case_worker_other",
    "supervisor",
    "supervisor_other",
    "analyst",
    "agency_admin",
    "agency_admin_other",
    "city_admin",
    "token_read",
    "token_write",
    "reporter",
)
OWN, OTHER = "police", "victim-support"
CANARY = "Quokkaberry"  # the description's distinctive word: found in any excerpt of it
CONTACT_EMAIL = "victim@example.org"
SIGN_IN = ("/accounts/login/", "/admin/login/")  # the admin's own sign-in forwards to ours
PLACEHOLDER = re.compile(r"\{(\w+)\}")


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    pattern: str
    method: str
    path: str
    data: str
    expected: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.method} {self.pattern or '(home)'}"


def load_rows() -> list[Row]:
    with CSV_PATH.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == FIXED_COLUMNS + CALLERS, "matrix.csv: unexpected columns"
        return [
            Row(
                pattern=raw["pattern"],
                method=raw["method"].upper(),
                path=raw["path"],
                data=raw["data"],
                expected={caller: raw[caller].strip() for caller in CALLERS},
            )
            for raw in reader
        ]


ROWS = load_rows()


# --- the URL patterns --------------------------------------------------------------------------


def _join(prefix: str, route: str) -> str:
    """As the resolver joins routes for `ResolverMatch.route`: a regex's leading ^ goes after a prefix."""
    return prefix + route.removeprefix("^") if prefix else route


def walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every pattern with its full route, spelled as the resolver shows it (and as matrix.csv does)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, _join(prefix, str(entry.pattern)))
        else:
            yield _join(prefix, str(entry.pattern)), entry


def required_patterns() -> dict[str, URLPattern]:
    """Every pattern but the language switch, static files and the Django admin's own pages behind
    its index (model lists and forms: the admin's permissions decide those)."""
    return {
        route: pattern
        for route, pattern in walk()
        if not route.startswith(("i18n/", "static/", "media/"))
        and (route == "admin/" or not route.startswith("admin/"))
    }


def ninja_methods(pattern: URLPattern) -> set[str]:
    """The methods a django-ninja path answers (its view closes over the PathView), else nothing."""
    for cell in getattr(pattern.callback, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations is not None:
            return {method.upper() for operation in operations for method in operation.methods}
    return set()


def test_every_url_pattern_has_a_row() -> None:
    """A new endpoint or screen fails here until its expected answers are written in matrix.csv."""
    covered = {row.pattern for row in ROWS}
    missing = sorted(set(required_patterns()) - covered)
    assert not missing, "URL patterns without a row in tests/access/matrix.csv:\n" + "\n".join(missing)


def test_every_api_method_has_a_row() -> None:
    covered = {(row.pattern, row.method) for row in ROWS}
    missing = sorted(
        f"{method} {route}"
        for route, pattern in required_patterns().items()
        for method in ninja_methods(pattern)
        if (route, method) not in covered
    )
    assert not missing, "API operations without a row in tests/access/matrix.csv:\n" + "\n".join(missing)


def test_every_row_is_unique_and_names_a_real_pattern() -> None:
    keys = [(row.pattern, row.method) for row in ROWS]
    assert len(keys) == len(set(keys)), "a (pattern, method) appears twice in matrix.csv"
    known = {route for route, _pattern in walk()}
    stale = sorted(row.id for row in ROWS if row.pattern not in known)
    assert not stale, "rows for URL patterns that no longer exist:\n" + "\n".join(stale)
    cells = {value.rstrip("+") for row in ROWS for value in row.expected.values()}
    assert cells <= {"login"} | {str(code) for code in range(200, 600)}, f"unknown cells: {cells}"


# --- the world each row is asked in ------------------------------------------------------------


@dataclass
class World:
    report: Report
    values: dict[str, str]
    clients: dict[str, Client]
    staff: list[str]
    markers: tuple[bytes, ...]  # what shows the report: its reference, its description, the e-mail

    def confirm_again(self) -> None:
        """Staff confirmed their password and code "just now" as each row starts, as `signed_in`
        leaves them, however long the rows before took."""
        for name in self.staff:
            session = self.clients[name].session
            session[REAUTH_KEY] = time.time()
            session.save()


def report_document(description: str) -> dict[str, Any]:
    """conftest's `report_json` (a function fixture, so it cannot feed a world built once per module):
    a bike theft in the demo city, shared with the police only — here with contact details, and not
    in public statistics, so no public channel may show it either."""
    index = area_index()
    assert index is not None
    lat, lon = index.centroid(index.codes[0])
    return {
        "category": "theft-bike",
        "description": description,
        "language": "en",
        "when": {"kind": "now"},
        "location": {"kind": "point", "lat": lat, "lon": lon, "precision_m": 15},
        "consent": {
            "police": True,
            "victim_support": False,
            "social_services": False,
            "city": False,
            "contact": True,
            "public_statistics": False,
        },
        "contact": {"email": CONTACT_EMAIL},
    }


def _file(description: str) -> tuple[Report, str]:
    body = report_document(description)
    response = Client().post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    report = Report.objects.select_related("category__parent", "area").get(reference=response.json()["reference"])
    assert [a.agency.code for a in Assignment.objects.filter(report=report)] == [OWN]  # routed at intake
    return report, response.json()["followup_token"]


def _city_admin() -> User:
    """As the city's administrator is set up: a member of the city's safety office in the role
    city_admin, with access to the admin site (`is_staff`) but not a superuser."""
    user = member("city-safety", "city_admin", "matrix-city-admin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def build_world() -> World:
    report, token = _file(f"{CANARY}: my bike was stolen from the rack by the station.")
    second, _token = _file("Another bike was taken from the same rack an hour later.")
    people = {
        "no_agency": User.objects.create_user("matrix-no-agency", password="x" * 16),
        "analyst": member(OWN, "analyst", "matrix-analyst"),
        "city_admin": _city_admin(),
    }
    for role in ("operator", "case_worker", "supervisor", "agency_admin"):
        people[role] = member(OWN, role, f"matrix-{role}")
        people[f"{role}_other"] = member(OTHER, role, f"matrix-{role}-other")
    police = Agency.objects.get(code=OWN)
    _read, read_key = agency_token_create(
        agency=police, name="records system", scopes=["reports:read"], valid_days=30, actor=None
    )
    _write, write_key = agency_token_create(
        agency=police, name="dispatch system", scopes=["assignments:write"], valid_days=30, actor=None
    )
    case = control_services.joint_case_create(
        actor=people["operator"], title="Bike thefts at the station", report_ids=[report.pk, second.pk]
    )
    assert report.lat is not None and report.lon is not None
    start = timezone.now() + timedelta(days=3)
    event = ContextEvent.objects.create(
        name="Derby at the city stadium",
        lat=report.lat,
        lon=report.lon,
        start=start,
        end=start + timedelta(hours=3),
        size=20_000,
    )
    venue = NightlifeVenue.objects.create(
        name="Club by the station", lat=report.lat, lon=report.lon, opening_hours="Fr,Sa 22:00-04:00"
    )
    model = TriageModel.objects.order_by("pk").first()
    service = Category.objects.filter(public_open311=True, sensitive=False, parent__isnull=False).order_by("code")
    clients = {"anonymous": Client(), "reporter": Client(HTTP_AUTHORIZATION=f"Bearer {token}")}
    clients |= {name: signed_in(user) for name, user in people.items()}
    clients["token_read"] = Client(HTTP_AUTHORIZATION=f"Bearer {read_key}")
    clients["token_write"] = Client(HTTP_AUTHORIZATION=f"Bearer {write_key}")
    warning = alert_issue(draft=alert_draft(), by=None)
    night_walk = walk_create(
        organiser=people["operator"],
        draft=WalkDraft(title="Station by night", agency_id=police.pk, starts_at=timezone.now() + timedelta(days=2)),
    )
    home_walk = walk_start(
        draft=CompanionDraft(
            destination="Home", contacts=(ContactDraft(email="friend@example.org"),), arrival_minutes=30
        )
    )
    community = Community.objects.create(code="matrix-port", name="Port businesses", agency=police)
    drill = drill_schedule(
        community=community,
        texts={"en": DrillText(title="Phishing drill", scenario="A fake invoice arrives.", checklist=("Report it",))},
        scheduled_for=timezone.now() + timedelta(days=1),
        by=people["operator"],
    )
    values = {
        "alert": str(warning.pk),
        "alert_identifier": warning.identifier,
        "night_walk": str(night_walk.walk.pk),
        "walk_code": night_walk.code,
        "walk_token": home_walk.resident_token,
        "watch_token": home_walk.watch_token,
        "community": str(community.pk),
        "drill": str(drill.pk),
        "report": str(report.pk),
        "report2": str(second.pk),
        "reference": report.reference,
        "token": token,
        "case": str(case.pk),
        "model": str(model.pk if model else 0),
        "event": str(event.pk),
        "venue": str(venue.pk),
        "police": str(police.pk),
        "victim_support": str(Agency.objects.get(code=OTHER).pk),
        "service": service.values_list("code", flat=True).first() or "none",
        "email": CONTACT_EMAIL,
    }
    report.refresh_from_db()
    markers = (report.reference.encode(), CANARY.encode(), CONTACT_EMAIL.encode())
    return World(report=report, values=values, clients=clients, staff=list(people), markers=markers)


def fill(template: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"unknown placeholder {{{name}}} in matrix.csv"
        return values[name]

    return PLACEHOLDER.sub(one, template)


def send(client: Client, row: Row, values: dict[str, str]) -> HttpResponseBase:
    """The row's request: `data` as JSON to the API, as a form to the screens."""
    path = "/" + fill(row.path, values)
    if not row.data:
        return client.generic(row.method, path)
    data = json.loads(fill(row.data, values))
    if row.method == "POST" and not path.startswith("/api/"):
        return client.post(path, data)
    return client.generic(row.method, path, json.dumps(data), content_type="application/json")


def body_of(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


def state_of(report: Report) -> tuple[object, ...]:
    """What a write to the report would change."""

    def ids(rows: Any) -> list[int]:
        return list(rows.order_by("pk").values_list("pk", flat=True))

    return (
        Report.objects.filter(pk=report.pk).values().first(),
        list(Assignment.objects.filter(report=report).order_by("pk").values("agency", "status", "version", "assignee")),
        ids(report.messages.all()),
        ids(report.status_changes.all()),
        ids(report.joint_cases.all()),
        ids(Note.objects.filter(report=report)),
        ids(Report.objects.filter(split_from=report)),
        ids(ReportContact.objects.filter(report=report)),
    )


def once(
    world: World, caller: str, values: dict[str, str], row: Row, *, watch: bool
) -> tuple[HttpResponseBase, bytes, bool]:
    """One request in a savepoint rolled back afterwards: the answer, its body, and whether the report
    was written to (when `watch`)."""
    client = world.clients[caller]
    cookies = copy.deepcopy(client.cookies)  # a sign-out or a new session must not outlive the request
    with transaction.atomic():
        before = state_of(world.report) if watch else None
        response = send(client, row, values)
        body = body_of(response)
        after = state_of(world.report) if watch else None
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, body, before != after


@dataclass(frozen=True)
class Answer:
    cell: str  # as matrix.csv spells it
    location: str
    changed: bool  # whether the report was written to (only looked at when asked to watch)


def ask(row: Row, caller: str, world: World, *, watch: bool) -> Answer:
    """The row's request as one caller, its answer spelled as a cell of matrix.csv."""
    response, body, changed = once(world, caller, world.values, row, watch=watch)
    location = response.get("Location", "") or ""
    cell = "login" if response.status_code == 302 and location.startswith(SIGN_IN) else str(response.status_code)
    if any(marker in body for marker in world.markers):
        cell += "+"
    return Answer(cell=cell, location=location, changed=changed)


def check(row: Row, caller: str, world: World) -> list[str]:
    expected = row.expected[caller]
    refused = expected == "login" or int(expected.rstrip("+")) >= 400
    answer = ask(row, caller, world, watch=refused)
    problems = []
    if answer.cell != expected:
        problems.append(f"{caller}: expected {expected}, got {answer.cell} {answer.location}".rstrip())
    if answer.changed:
        problems.append(f"{caller}: a refused request changed the report")
    return problems


MISSING_REPORT = "2147483600"
VARYING = re.compile(rb'(name="csrfmiddlewaretoken" value="|nonce="|"csrfToken": ")[^"]*')


def foreign_looks_missing(row: Row, world: World) -> list[str]:
    """Another agency's report answers exactly as a report that does not exist: the 404 tells
    nothing of its existence (asked as victim support's operator)."""
    caller = "operator_other"
    if "{report}" not in row.path or row.expected[caller] != "404":
        return []
    answers = []
    for report_id in (world.values["report"], MISSING_REPORT):
        values = world.values | {"report": report_id}
        response, body, _changed = once(world, caller, values, row, watch=False)
        path = ("/" + fill(row.path, values)).encode()
        answers.append((response.status_code, VARYING.sub(rb"\1", body).replace(path, b"{path}")))
    return [] if answers[0] == answers[1] else [f"{caller}: another agency's report answers unlike a missing one"]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once, in a transaction rolled back after the module: each test's own transaction and each
    request's savepoint nest inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_access(row: Row, world: World) -> None:
    world.confirm_again()
    resolved = resolve("/" + fill(row.path, world.values).split("?", 1)[0])
    assert resolved.route == row.pattern, f"{row.path} resolves to {resolved.route!r}, not the row's pattern"
    problems = [problem for caller in CALLERS for problem in check(row, caller, world)]
    problems += foreign_looks_missing(row, world)
    assert not problems, f"{row.id}:\n" + "\n".join(problems)
