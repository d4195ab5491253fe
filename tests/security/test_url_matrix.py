"""Every URL of the URLconf, requested as anonymous and as every role: no 500, no 200 where the
role rules say no.

The world holds one of each object a URL names (agency, decree, item, dataset, access request,
cycle, publication, channel, post, report...), built once for the module through the services
inside a transaction rolled back at the end. Each pattern is requested:

- GET with valid parameters, as each persona: the status must be the one EXPECTED says (the
  table is derived from accounts/roles.py's ROLE_TABLE, with the object-level rules written
  out where an object belongs to one agency);
- GET with malformed parameters (huge, zero, path tricks, unicode, long): never a 500;
- POST with no data and with junk: never a 500, and never a success for a persona refused.

A URL pattern added without a row in EXPECTED fails `test_every_url_pattern_has_a_row`.

Personas: walidata (Diskominfo), head and operator of Dinas Kesehatan (the world's objects are
theirs), other_operator of Dinas Pendidikan (another agency), supervisor (BPS), admin.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from satudata.access.models import AccessRequest
from satudata.access.selectors import token_hash
from satudata.access.services import request_approve, request_submit
from satudata.accounts.roles import Action, Role, role_may
from satudata.audit.models import AuditEntry
from satudata.catalog.choices import Accessibility
from satudata.catalog.services import breakdown_ensure, regions_load
from satudata.notifications.models import Notification
from satudata.portal.services import datasets_publish
from satudata.publications.choices import CardSize, ChannelKind
from satudata.publications.models import Post
from satudata.publications.services import channel_portal
from satudata.reports.services import report_create
from satudata.sop.constants import DEFAULT_SOP_FILE
from satudata.sop.services import cycle_start, sop_load, step_start
from tests.factories import (
    SYSTEM,
    AgencyFactory,
    DataItemFactory,
    DecreeFactory,
    TopicFactory,
    UserFactory,
)
from tests.portal.conftest import fill
from tests.publications.test_public_support import approved, published, with_cards

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAS = ("anonymous", "walidata", "head", "operator", "other_operator", "supervisor", "admin")


@dataclass
class World:
    users: dict[str, Any]
    args: dict[str, dict[str, Any]] = field(default_factory=dict)


def build_world() -> World:
    regions_load(actor=SYSTEM, root="35.09")
    health = AgencyFactory(code="1.02.01", name="Dinas Kesehatan", short_name="Dinkes")
    education = AgencyFactory(code="1.01.01", name="Dinas Pendidikan", short_name="Dispendik")
    users = {
        "anonymous": None,
        "walidata": UserFactory(username="walidata", role=Role.WALIDATA),
        "head": UserFactory(username="kepala", role=Role.PRODUCER_HEAD, agency=health),
        "operator": UserFactory(username="operator", role=Role.PRODUCER_OPERATOR, agency=health),
        "other_operator": UserFactory(
            username="operator2", role=Role.PRODUCER_OPERATOR, agency=education
        ),
        "supervisor": UserFactory(username="bps", role=Role.SUPERVISOR),
        "admin": UserFactory(username="admin", role=Role.ADMIN, is_staff=True),
    }
    decree = DecreeFactory()
    topic = TopicFactory(name="Sosial", slug="sosial")
    sex = breakdown_ensure(
        actor=SYSTEM, name="Jenis kelamin", slug="jenis-kelamin", categories=["L", "P"]
    )
    item = DataItemFactory(
        decree=decree, agency=health, topic=topic, level="regency", name="Jumlah Penduduk Miskin"
    )
    fill(item, "2025")
    limited = DataItemFactory(
        decree=decree,
        agency=health,
        topic=topic,
        level="district",
        breakdowns=[sex],
        accessibility=Accessibility.LIMITED,
        accessibility_reason="UU 14/2008 pasal 17 huruf h",
    )
    fill(limited, "2025")
    result = datasets_publish(actor=SYSTEM, items=[item, limited])
    by_item = {d.item_id: d for d in result.datasets}
    dataset, limited_ds = by_item[item.pk], by_item[limited.pk]

    access = request_submit(
        actor=None,
        dataset=limited_ds,
        name="Siti Rahmawati",
        institution="Universitas Jember",
        purpose="Penelitian skripsi tentang kemiskinan di Kabupaten Jember tahun 2025.",
        email="siti@unej.ac.id",
        letter=SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
        letter_type="pdf",
    )
    granted = request_submit(
        actor=None,
        dataset=limited_ds,
        name="Budi",
        institution="Bappeda",
        purpose="Perencanaan program pengentasan kemiskinan tahun depan di Jember.",
        email="budi@example.go.id",
    )
    request_approve(
        actor=users["head"],
        request=granted,
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    token = "a-known-grant-token-for-the-url-matrix-0001"
    AccessRequest.objects.filter(pk=granted.pk).update(token_hash=token_hash(token))

    sop_load(actor=SYSTEM, path=DEFAULT_SOP_FILE)
    cycle = cycle_start(actor=SYSTEM, period="2025")
    run = step_start(actor=SYSTEM, cycle=cycle, number=1)

    portal = channel_portal(health)
    public = published(users["head"], users["operator"], "URLMATRIX")
    with_cards(public)
    pending = approved(users["head"], users["operator"], "PENDING", channels=[portal])
    with_cards(pending)
    channel = portal
    post = Post.objects.filter(publication=public).first()

    report = report_create(actor=users["walidata"], period="2025")
    report.pdf.save("laporan.pdf", ContentFile(PDF))

    notification = Notification.objects.filter(recipient=users["operator"]).first()
    if notification is None:
        notification = Notification.objects.first()
    audit = AuditEntry.objects.order_by("pk").first()
    walidata = users["walidata"]
    world = World(users=users)
    world.args = {
        "pk:agency": health.pk,
        "pk:user": users["operator"].pk,
        "pk:decree": decree.pk,
        "pk:item": item.pk,
        "pk:audit": audit.pk,
        "pk:notification": notification.pk if notification else 1,
        "pk:dataset": dataset.pk,
        "pk:access": access.pk,
        "pk:cycle": cycle.pk,
        "run_pk": run.pk,
        "number:step": 1,
        "pk:publication": pending.pk,
        "number:version": 1,
        "size": CardSize.SQUARE.value,
        "pk:channel": channel.pk,
        "pk:post": post.pk if post else 1,
        "pk:report": report.pk,
        "kind": "pdf",
        "period": "2025",
        "item_pk": item.pk,
        "agency_pk": health.pk,
        "slug:dataset": dataset.slug,
        "slug:limited": limited_ds.slug,
        "slug:agency": health.slug if hasattr(health, "slug") else "",
        "slug:topic": topic.slug,
        "slug:publication": public.slug,
        "token:grant": token,
        "uidb64": urlsafe_base64_encode(force_bytes(walidata.pk)),
        "token:reset": default_token_generator.make_token(walidata),
        "kind:channel": ChannelKind.PORTAL,
        "job_id": "0b7c9d36-3f7e-4a53-9d5e-2d4f5e6a7b8c",
    }
    return world


# --- the URLconf, walked -------------------------------------------------------------------

PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Pattern:
    name: str  # namespaced URL name
    route: str  # the whole route, e.g. "app/decrees/<int:pk>/"

    @property
    def params(self) -> list[tuple[str, str]]:
        return [(m["conv"] or "str", m["name"]) for m in PARAM.finditer(self.route)]

    def url(self, values: dict[str, Any]) -> str:
        return "/" + PARAM.sub(lambda m: str(values[m["name"]]), self.route)


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> list[Pattern]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            found.append(Pattern(namespace + (p.name or str(p.pattern)), prefix + str(p.pattern)))
    return found


PATTERNS = _walk(get_resolver().url_patterns)

# The valid value of each parameter, by URL name (prefix) and parameter name.
FORMATS = {
    "data-list-template": "xlsx",
    "step2-export": "xlsx",
    "step1-export": "csv",
    "schedule-calendar-export": "xlsx",
    "values-template": "xlsx",
    "access-grant-file": "csv",
    "dataset-download": "csv",
}
PK_OBJECT = (  # first matching URL-name prefix names the object of "<int:pk>"
    ("agency-", "pk:agency"),
    ("user-", "pk:user"),
    ("decree-", "pk:decree"),
    ("item-", "pk:item"),
    ("audit-", "pk:audit"),
    ("notification-", "pk:notification"),
    ("portal-withdraw", "pk:dataset"),
    ("access-request-", "pk:access"),
    ("cycle-", "pk:cycle"),
    ("publications:channel-", "pk:channel"),
    ("publications:post-retry", "pk:post"),
    ("publications:post-proof", "pk:post"),
    ("publications:", "pk:publication"),
    ("reports:", "pk:report"),
)
SLUG_OBJECT = (
    ("access-request-create", "slug:limited"),
    ("dataset-", "slug:dataset"),
    ("portal-agency", "slug:agency"),
    ("portal-topic", "slug:topic"),
    ("publications_public:", "slug:publication"),
    ("api-v1:", "slug:dataset"),
)


def _first(table: tuple[tuple[str, str], ...], name: str) -> str:
    return next(key for prefix, key in table if name.startswith(prefix))


def valid_values(pattern: Pattern, args: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for _conv, param in pattern.params:
        if param == "pk":
            values[param] = args[_first(PK_OBJECT, pattern.name)]
        elif param == "slug":
            values[param] = args[_first(SLUG_OBJECT, pattern.name)]
        elif param == "fmt":
            values[param] = FORMATS[pattern.name]
        elif param == "token":
            reset = pattern.name == "password_reset_confirm"
            values[param] = args["token:reset" if reset else "token:grant"]
        elif param == "number":
            step = pattern.name.startswith("cycle-")
            values[param] = args["number:step" if step else "number:version"]
        elif param == "name":
            values[param] = "package_list"  # the CKAN action
        else:
            values[param] = args[param]
    return values


MALFORMED = {
    "int": ("0", "99999999999999999999999"),
    "str": ("..%2F..%2Fetc%2Fpasswd", "%E2%80%AE%F0%9F%98%80%C3%B1" + "x" * 300, "%00'\"<"),
    "slug": ("x" * 300, "tidak-ada"),
}
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*?\bname=\"([^\"]+)\"")
HUGE = "99999999999999999999999"
HOSTILE = "=cmd|' /C calc'!A0 \u202e<script>alert(1)</script>' OR 1=1 --"
# A query string some pages need to show their form.
QUERY = {"publications:channel-create": "?kind=wordpress&agency={pk:agency}"}
# Form fields the views read, filled with what no form would send.
JUNK = {
    "name": '=HYPERLINK("http://x")',
    "title": "<script>alert(1)</script>",
    "period": "99999-Q9",
    "year": "99999999999999999999",
    "kind": "../../etc/passwd",
    "agency": "-1",
    "item": "abc",
    "items": ["0", "99999999999999999999"],
    "expires_on": "2026-02-30",
    "decision": "approve",
    "reason": "\x00" * 3,
    "revision": "-5",
    "file": "not a file",
    "next": "https://evil.example/",
    "language": "xx",
}


def malformed_urls(pattern: Pattern, args: dict[str, Any]) -> list[str]:
    """The valid URL with one parameter at a time replaced by each malformed value."""
    valid = valid_values(pattern, args)
    urls = []
    for conv, param in pattern.params:
        for bad in MALFORMED.get(conv, MALFORMED["str"]):
            urls.append(pattern.url({**valid, param: bad}))
    return urls


# --- the module's world and clients --------------------------------------------------------


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("url-matrix-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_dir):
    # Overrides the suite's per-test media folder: the world's files live for the module.
    settings.MEDIA_ROOT = media_dir


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_dir):
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with (
        override_settings(
            MEDIA_ROOT=media_dir,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            STORAGES={**settings.STORAGES, "staticfiles": static},
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def clients(world, db) -> dict[str, Client]:
    found = {}
    for persona, user in world.users.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        found[persona] = client
    return found


# --- who gets what -------------------------------------------------------------------------

LOGIN = "login"  # a redirect to the login page
PERSONA_ROLE = {
    "walidata": Role.WALIDATA,
    "head": Role.PRODUCER_HEAD,
    "operator": Role.PRODUCER_OPERATOR,
    "other_operator": Role.PRODUCER_OPERATOR,
    "supervisor": Role.SUPERVISOR,
    "admin": Role.ADMIN,
}
SIGNED = tuple(PERSONA_ROLE)
OTHER = ("other_operator",)


@dataclass(frozen=True)
class Rule:
    """The status of a GET with valid parameters per persona; who may not POST."""

    get: dict[str, int | str]
    refused: frozenset[str]


def everyone(status: int = 200) -> Rule:
    return Rule(dict.fromkeys(PERSONAS, status), frozenset())


def signed_in(status: int = 200, **overrides: int | str) -> Rule:
    get = {"anonymous": LOGIN, **dict.fromkeys(SIGNED, status), **overrides}
    return Rule(get, frozenset(p for p, s in get.items() if s in (LOGIN, 403, 404)))


def by_role(action: Action, status: int | str = 200, **overrides: int | str) -> Rule:
    """ROLE_TABLE's rule: the roles allowed get `status`, the others 403 (and the overrides:
    object-level rules such as "own agency only")."""
    get: dict[str, int | str] = {"anonymous": LOGIN}
    for persona, role in PERSONA_ROLE.items():
        get[persona] = status if role_may(role, action) else 403
    get.update(overrides)
    return Rule(get, frozenset(p for p, s in get.items() if s in (LOGIN, 403, 404)))


def post_only(action: Action, *, also_refused: tuple[str, ...] = ()) -> Rule:
    """A POST-only view (405 on GET) whose POST the role table allows to `action`'s roles."""
    get: dict[str, int | str] = {"anonymous": LOGIN, **dict.fromkeys(SIGNED, 405)}
    refused = {"anonymous", *also_refused}
    refused |= {p for p, role in PERSONA_ROLE.items() if not role_may(role, action)}
    return Rule(get, frozenset(refused))


def own_agency(action: Action, status: int | str = 200, **overrides: int | str) -> Rule:
    """The role table's rule, narrowed to the object's agency (Dinas Kesehatan) for producers:
    the other agency's operator is refused."""
    return by_role(action, status, **{"other_operator": 403, **overrides})


# Every URL name of the URLconf. The world's objects belong to Dinas Kesehatan (head,
# operator); other_operator is Dinas Pendidikan's. A new URL without a row fails below.
EXPECTED: dict[str, Rule] = {
    "healthz": everyone(),
    # Prometheus metrics: administrators (or the configured token) only; 404 to the rest
    "metrics": Rule(
        {**dict.fromkeys(PERSONAS, 404), "admin": 200},
        frozenset(PERSONAS) - {"admin"},
    ),
    # failed background jobs: administrators (the world's job id is unknown: 404 to retry)
    "jobs:list": by_role(Action.USER_MANAGE),
    "jobs:retry": post_only(Action.USER_MANAGE),
    "set_language": everyone(302),
    "home": signed_in(),
    "login": Rule({"anonymous": 200, **dict.fromkeys(SIGNED, 302)}, frozenset()),
    "logout": everyone(405),  # POST only (Django 5)
    "password_change": signed_in(),
    "password_change_done": signed_in(),
    "password_reset": everyone(),
    "password_reset_done": everyone(),
    "password_reset_confirm": everyone(),
    "password_reset_complete": everyone(),
    # accounts
    "agency-list": by_role(Action.AGENCY_VIEW),
    "agency-create": by_role(Action.AGENCY_MANAGE),
    "agency-edit": by_role(Action.AGENCY_MANAGE),
    "user-list": by_role(Action.USER_MANAGE),
    "user-create": by_role(Action.USER_MANAGE),
    "user-edit": by_role(Action.USER_MANAGE),
    # catalog (the decree has no document uploaded: 404 to those who may see it)
    "decree-list": by_role(Action.DECREE_VIEW),
    "decree-create": by_role(Action.DECREE_MANAGE),
    "decree-detail": by_role(Action.DECREE_VIEW),
    "decree-document": by_role(Action.DECREE_VIEW, 404),
    "decree-edit": by_role(Action.DECREE_MANAGE),
    "decree-import": by_role(Action.DECREE_MANAGE),
    "data-list-template": by_role(Action.DECREE_VIEW),
    "item-list": by_role(Action.ITEM_VIEW),
    "item-create": by_role(Action.ITEM_MANAGE),
    "item-detail": by_role(Action.ITEM_VIEW),  # an open item: every role reads it
    "item-edit": by_role(Action.ITEM_MANAGE),
    # schedule: steps 1 and 2 are walidata's, read by the supervisor
    "step2": by_role(Action.ACCESSIBILITY_VIEW),
    "step2-export": by_role(Action.ACCESSIBILITY_VIEW),
    "step1": by_role(Action.FILL_CHECK_VIEW),
    "step1-export": by_role(Action.FILL_CHECK_VIEW),
    # one item's cells: its own agency's producers see them too
    "step1-cells": by_role(Action.FILL_CHECK_VIEW, head=200, operator=200),
    "schedule-rules": by_role(Action.FILL_CHECK_VIEW),
    "item-schedule": by_role(Action.ITEM_VIEW),
    "schedule-calendar": by_role(Action.ITEM_VIEW),
    "schedule-calendar-export": by_role(Action.ITEM_VIEW),
    "audit-list": by_role(Action.AUDIT_VIEW),
    "audit-detail": by_role(Action.AUDIT_VIEW),
    # values: the open item's values are readable by all; templates only for its agency
    "values-home": by_role(Action.VALUES_EDIT),
    "value-grid": by_role(Action.ITEM_VIEW_VALUES),
    "value-history": by_role(Action.ITEM_VIEW_VALUES),
    "values-template": own_agency(Action.VALUES_EDIT, other_operator=404),
    "values-upload": by_role(Action.VALUES_EDIT),
    # notifications: the world's notification is the operator's (opening it redirects)
    "notification-list": signed_in(),
    "notification-open": signed_in(404, operator=302),
    "reminders": by_role(Action.REMINDER_SEND),
    # portal workspace (step 3)
    "portal-datasets": by_role(Action.DATASET_PUBLISH),
    "portal-publish": post_only(Action.DATASET_PUBLISH),
    "portal-withdraw": by_role(Action.DATASET_PUBLISH),
    # access requests: the request is for Dinas Kesehatan's limited data
    "access-request-list": by_role(Action.ACCESS_REQUEST_REVIEW),
    "access-request-detail": by_role(Action.ACCESS_REQUEST_REVIEW),
    "access-request-decide": post_only(Action.ACCESS_REQUEST_REVIEW),
    "access-request-letter": by_role(Action.ACCESS_REQUEST_REVIEW),
    # the SOP and its cycles
    "sop-detail": by_role(Action.SOP_VIEW),
    "sop-revise": by_role(Action.SOP_MANAGE),
    "cycle-list": by_role(Action.CYCLE_VIEW),
    "cycle-detail": by_role(Action.CYCLE_VIEW),
    "cycle-step-start": post_only(Action.CYCLE_MANAGE, also_refused=OTHER),
    "cycle-run-finish": post_only(Action.CYCLE_MANAGE, also_refused=OTHER),
    "cycle-close": post_only(Action.CYCLE_MANAGE),
    # publications (steps 4-6): the world's publication is Dinas Kesehatan's, approved
    "publications:list": by_role(Action.PUBLICATION_VIEW),
    "publications:instruct": by_role(Action.PUBLICATION_INSTRUCT),
    "publications:detail": own_agency(Action.PUBLICATION_VIEW),
    "publications:review": by_role(Action.PUBLICATION_REVIEW),
    "publications:cancel": post_only(Action.PUBLICATION_INSTRUCT),
    "publications:version": own_agency(Action.PUBLICATION_VIEW),
    # approved, so no longer editable: its operator is sent back to the detail page
    "publications:edit": by_role(Action.PUBLICATION_DRAFT, 302, other_operator=403),
    "publications:autosave": Rule(
        dict.fromkeys(PERSONAS, 405),
        frozenset(p for p in PERSONAS if p != "operator"),
    ),
    "publications:submit": post_only(Action.PUBLICATION_DRAFT, also_refused=OTHER),
    "publications:block-options": own_agency(Action.PUBLICATION_DRAFT, head=200),
    "publications:block-check": post_only(Action.PUBLICATION_DRAFT, also_refused=OTHER),
    "publications:preview": own_agency(Action.PUBLICATION_VIEW),
    # the agency's operator (who drafts) or head (who reviews) makes the cards
    "publications:cards-generate": Rule(
        {"anonymous": LOGIN, **dict.fromkeys(SIGNED, 405)},
        frozenset(PERSONAS) - {"head", "operator"},
    ),
    "publications:card-image": own_agency(Action.PUBLICATION_VIEW),
    "publications:channel-list": by_role(Action.CHANNEL_MANAGE),
    "publications:channel-create": by_role(Action.CHANNEL_MANAGE),
    "publications:channel-edit": by_role(Action.CHANNEL_MANAGE),
    "publications:post-publish": post_only(Action.PUBLICATION_PUBLISH, also_refused=OTHER),
    "publications:post-retry": post_only(Action.PUBLICATION_PUBLISH, also_refused=OTHER),
    "publications:post-proof": own_agency(Action.PUBLICATION_PUBLISH),
    # step 7 and the dashboard
    "reports:dashboard": by_role(Action.DASHBOARD_VIEW),
    "reports:list": by_role(Action.REPORT_VIEW),
    "reports:letterhead": by_role(Action.REPORT_MANAGE),
    "reports:detail": by_role(Action.REPORT_VIEW),
    "reports:status": by_role(Action.REPORT_VIEW),
    "reports:narrative": post_only(Action.REPORT_MANAGE),
    "reports:generate": post_only(Action.REPORT_MANAGE),
    "reports:finalise": post_only(Action.REPORT_MANAGE),
    "reports:download": by_role(Action.REPORT_VIEW),
    # the public API, portal and publications: everyone reads the same
    "api-v1:openapi-json": everyone(),
    "api-v1:dataset_list": everyone(),
    "api-v1:dataset_detail": everyone(),
    "api-v1:observation_list": everyone(),
    "api-v1:agency_list": everyone(),
    "api-v1:topic_list": everyone(),
    "api-v1:root": everyone(302),
    "api-v1:docs": everyone(),
    "api-v1:api-root": everyone(302),
    "publications_public:list": everyone(),
    "publications_public:feed": everyone(),
    "publications_public:detail": everyone(),
    "publications_public:card": everyone(),
    "access-request-create": everyone(),  # anyone may ask for limited data
    "access-request-sent": everyone(),
    # the grant's token is the key: whoever holds it downloads, signed in or not
    "access-grant-download": everyone(),
    "access-grant-file": everyone(),
    "portal-home": everyone(),
    "dataset-search": everyone(),
    "dataset-detail": everyone(),
    "dataset-download": everyone(),
    "dataset-datapackage": everyone(),
    "portal-agency-list": everyone(),
    "portal-agency": everyone(),
    "portal-topic-list": everyone(),
    "portal-topic": everyone(),
    "portal-release-calendar": everyone(),
    "sitemap": everyone(),
    "robots": everyone(),
    "dataset-feed": everyone(),
    "dcat-jsonld": everyone(),
    "dcat-ttl": everyone(),
    "ckan-action": everyone(),
    "ckan-action-unversioned": everyone(),
}
# POSTs the world cannot take back within one test (they end the session): not sent.
NO_POST = {"logout"}


def _problem(response) -> str:
    exc = getattr(response, "exc_info", None)
    return f" ({exc[0].__name__}: {exc[1]})" if exc else ""


def _status(response) -> int | str:
    if response.status_code == 302 and "/account/login/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


def test_every_url_pattern_has_a_row():
    names = {p.name for p in PATTERNS}
    missing = sorted(names - EXPECTED.keys())
    assert not missing, f"URL patterns without a row in EXPECTED (who may open them?): {missing}"
    stale = sorted(EXPECTED.keys() - names)
    assert not stale, f"rows in EXPECTED for URLs that no longer exist: {stale}"


@pytest.mark.parametrize(
    "pattern", [p for p in PATTERNS if p.name in EXPECTED], ids=lambda p: p.name
)
def test_url(pattern: Pattern, world, clients):
    rule = EXPECTED[pattern.name]
    args = world.args
    query = QUERY.get(pattern.name, "").replace("{pk:agency}", str(args["pk:agency"]))
    url = pattern.url(valid_values(pattern, args)) + query
    responses = {p: c.get(url) for p, c in clients.items()}
    got = {p: _status(r) for p, r in responses.items()}
    assert got == rule.get, f"GET {url}"
    # The fields of the page's forms, as the most privileged reader saw them, get junk too.
    fields = set()
    for response in responses.values():
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            fields |= set(FIELD.findall(response.content.decode("utf-8", "replace")))
    fields.discard("csrfmiddlewaretoken")
    forms = (
        ("junk form", JUNK),
        ("huge numbers", dict.fromkeys(fields, HUGE)),
        ("hostile text", dict.fromkeys(fields, HOSTILE)),
    )

    # Every other problem of the URL is gathered, so that one run lists them all.
    problems = []
    for bad in malformed_urls(pattern, args):
        for persona, client in clients.items():
            response = client.get(bad)
            if response.status_code >= 500:
                problems.append(f"GET {bad} as {persona}: 500{_problem(response)}")
    if pattern.name not in NO_POST:
        for persona, client in clients.items():
            sent = [(kind, client.post(url, data)) for kind, data in forms if data]
            sent.append(("junk JSON", client.post(url, "{not", content_type="application/json")))
            for kind, response in sent:
                status = response.status_code
                if status >= 500:
                    problems.append(f"POST {kind} {url} as {persona}: 500{_problem(response)}")
                elif persona in rule.refused and _status(response) != LOGIN and status < 400:
                    problems.append(f"POST {kind} {url} as {persona} (refused): {status}")
    assert not problems, "\n".join(problems)
