"""Guidance tailored to the needs: the category's services plus those that answer what the person
asked for, labelled; open now first, then nearest; the emergency number first of all when the person
is in danger now."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from streetlight.reports import selectors
from streetlight.reports.enums import Need
from streetlight.reports.geo import area_index
from streetlight.reports.models import Category, SupportService, SupportServiceText
from streetlight.reports.services import support_services_load
from tests.reports.helpers import web_form

from .conftest import FileReport

pytestmark = pytest.mark.django_db

SUNDAY_NIGHT = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # 00:30 Monday in Rome: office services closed
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)  # 10:30 in Rome
CENTRE = (45.0708, 7.6827)  # Centro Storico
BIKE = "theft-bike"


def guidance(needs: tuple[str, ...] = (), *, at: datetime = TUESDAY_MORNING, point: Any = None) -> dict[str, Any]:
    with translation.override("en"):
        return selectors.guidance_for(category=Category.objects.get(code=BIKE), at=at, needs=needs, point=point)


def codes(result: dict[str, Any]) -> list[str]:
    return [s["code"] for s in result["support"]]


def clinic(code: str, lat: float, lon: float, *, always_open: bool = True, order: int = 50) -> SupportService:
    service = SupportService.objects.create(
        code=code, phone="+39 011 000 0999", always_open=always_open, order=order, needs=["medical"], lat=lat, lon=lon
    )
    SupportServiceText.objects.create(service=service, language="en", name=f"Clinic {code}")
    return service


def test_without_needs_the_guidance_is_the_categorys() -> None:
    plain = guidance()
    assert set(codes(plain)) == set(
        Category.objects.get(code="theft").support_services.values_list("code", flat=True)
    ) | set(Category.objects.get(code=BIKE).support_services.values_list("code", flat=True))
    assert plain["emergency_number"] is None
    assert all(s["for_needs"] == [] for s in plain["support"])


def test_services_answering_the_needs_are_added_and_labelled() -> None:
    result = guidance(("someone_to_talk_to", "interpreter"))
    found = {s["code"]: s for s in result["support"]}
    assert {"listening-line", "victim-interpreting"} <= set(found)
    assert found["listening-line"]["for_needs_labels"] == ["Someone to talk to"]
    assert found["victim-interpreting"]["for_needs_labels"] == ["An interpreter"]
    # a category service that also answers a need is labelled, not listed twice
    assert found["victim-support-portavera"]["for_needs"] == ["someone_to_talk_to"]
    assert codes(result).count("victim-support-portavera") == 1
    # services for needs nobody asked for stay out
    assert not {"safe-housing-line", "accessibility-desk", "hospital-emergency"} & set(found)


def test_open_now_comes_first() -> None:
    result = guidance(("someone_to_talk_to", "interpreter"), at=SUNDAY_NIGHT)
    flags = [s["open_now"] for s in result["support"]]
    assert flags == sorted(flags, reverse=True) and any(flags) and not all(flags)
    closed = {s["code"] for s in result["support"] if not s["open_now"]}
    assert "victim-interpreting" in closed


def test_nearest_first_among_services_open_now() -> None:
    clinic("far-clinic", 45.0990, 7.6200, order=1)
    clinic("near-clinic", 45.0712, 7.6830, order=2)
    clinic("closed-clinic", 45.0709, 7.6828, always_open=False, order=3)
    SupportService.objects.filter(code="closed-clinic").update(hours={})
    result = guidance(("medical",), point=CENTRE)
    medical = [s["code"] for s in result["support"] if "medical" in s["for_needs"]]
    assert medical.index("near-clinic") < medical.index("far-clinic") < medical.index("closed-clinic")
    found = {s["code"]: s for s in result["support"]}
    assert found["near-clinic"]["distance_m"] < 100 < found["far-clinic"]["distance_m"]


def test_distances_need_the_reports_point() -> None:
    result = guidance(("medical",))
    assert all(s["distance_m"] is None for s in result["support"])


def test_in_danger_now_puts_the_emergency_number_first() -> None:
    assert guidance(("in_danger_now",))["emergency_number"] == settings.STREETLIGHT["EMERGENCY_NUMBER"]
    assert guidance(("medical",))["emergency_number"] is None


def test_services_are_named_in_the_active_language() -> None:
    with translation.override("it"):
        result = selectors.guidance_for(category=Category.objects.get(code=BIKE), needs=("someone_to_talk_to",))
    found = {s["code"]: s for s in result["support"]}
    assert found["listening-line"]["name"].startswith("Linea d'ascolto")


def test_api_answer_carries_the_tailored_guidance(file_report: FileReport) -> None:
    _report, body = file_report(needs=["in_danger_now", "someone_to_talk_to"])
    answer = body["guidance"]
    assert answer["emergency_number"] == settings.STREETLIGHT["EMERGENCY_NUMBER"]
    listening = next(s for s in answer["support"] if s["code"] == "listening-line")
    assert listening["for_needs"] == ["someone_to_talk_to"]
    assert listening["distance_m"] is None and listening["lat"] is None  # a phone line has no place
    office = next(s for s in answer["support"] if s["code"] == "victim-support-portavera")
    assert isinstance(office["distance_m"], int) and office["lat"] is not None  # from the report's point


def test_categories_list_is_unchanged_by_needs(client: Client) -> None:
    listed = client.get("/api/v1/categories").json()
    bike = next(c for c in listed if c["code"] == BIKE)
    assert bike["guidance"]["emergency_number"] is None
    assert "listening-line" not in [s["code"] for s in bike["guidance"]["support"]]


def web_report(client: Client, city_point: tuple[float, float], needs: list[str], **extra: str) -> str:
    data = web_form(
        city_point,
        category=BIKE,
        description="Someone cut the lock of my bike at the station rack.",
        recipients=["victim_support"],
        needs=needs,
        idempotency_key=f"needs-done-{'-'.join(needs) or 'none'}",
        **extra,
    )
    del data["public_statistics"]  # this resident keeps the report out of the statistics
    resp = client.post("/report/", data, follow=True)
    assert resp.status_code == 200
    return resp.content.decode()


def test_done_page_shows_the_matching_services(client: Client, city_point: tuple[float, float]) -> None:
    page = web_report(client, city_point, ["someone_to_talk_to", "interpreter"], interpreter_language="Arabic")
    assert 'data-service="listening-line"' in page and 'data-service="victim-interpreting"' in page
    assert "For what you asked:" in page and "An interpreter" in page
    assert 'id="emergency-first"' not in page
    assert 'id="needs-routing"' in page


def test_done_page_in_danger_shows_the_emergency_number_before_everything(
    client: Client, city_point: tuple[float, float]
) -> None:
    page = web_report(client, city_point, ["in_danger_now"])
    number = settings.STREETLIGHT["EMERGENCY_NUMBER"]
    content = page[page.index("<main") :]
    first = content.index('id="emergency-first"')
    assert first < content.index("<h1") < content.index('id="guidance-title"')
    assert f'href="tel:{number}"' in content[first : content.index("<h1")]
    assert content.count('id="emergency-first"') == 1


def test_followup_page_keeps_the_tailored_guidance(file_report: FileReport, client: Client) -> None:
    _report, body = file_report(needs=["someone_to_talk_to"])
    page = client.get(f"/f/{body['followup_token']}/").content.decode()
    assert 'data-service="listening-line"' in page


def test_catalog_file_carries_needs_and_place() -> None:
    support_services_load(
        services=[
            {
                "code": "night-shelter",
                "phone": "+39 011 000 0998",
                "always_open": True,
                "needs": ["safe_place"],
                "lat": 45.07,
                "lon": 7.68,
                "i18n": {"en": {"name": "Night shelter"}},
            }
        ]
    )
    service = SupportService.objects.get(code="night-shelter")
    assert (service.needs, service.lat, service.lon) == (["safe_place"], 45.07, 7.68)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"needs": ["a_lift_home"]}, "unknown need 'a_lift_home'"),
        ({"lat": 45.07}, "give both lat and lon"),
        ({"lat": 145.0, "lon": 7.6}, "latitude must be between -90 and 90"),
    ],
)
def test_catalog_file_with_a_bad_service_is_refused_naming_it(item: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        support_services_load(services=[{"code": "bad-one", "i18n": {"en": {"name": "Bad"}}, **item}])
    assert "support service bad-one" in str(raised.value)
    assert not SupportService.objects.filter(code="bad-one").exists()


def test_admin_edits_the_needs_and_place_of_a_service(admin_client: Client) -> None:
    service = SupportService.objects.get(code="legal-aid")
    url = f"/admin/reports/supportservice/{service.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and 'value="legal_advice"' in page.content.decode()
    texts = list(service.texts.all())
    data: dict[str, Any] = {
        "code": service.code,
        "phone": service.phone,
        "url": service.url,
        "hours": "{}",
        "order": service.order,
        "needs": ["legal_advice", "interpreter"],
        "lat": "45.07",
        "lon": "7.69",
        "texts-TOTAL_FORMS": str(len(texts)),
        "texts-INITIAL_FORMS": str(len(texts)),
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "1000",
    }
    for i, text in enumerate(texts):
        data |= {
            f"texts-{i}-id": text.pk,
            f"texts-{i}-service": service.pk,
            f"texts-{i}-language": text.language,
            f"texts-{i}-name": text.name,
            f"texts-{i}-description": text.description,
        }
    resp = admin_client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    service.refresh_from_db()
    assert (service.needs, service.lat, service.lon) == (["legal_advice", "interpreter"], 45.07, 7.69)
    data |= {"lat": "45.07", "lon": ""}
    assert admin_client.post(url, data).status_code == 200  # one coordinate alone is refused, on the form


def test_the_demo_city_has_a_service_for_every_need() -> None:
    answered = {need for service in SupportService.objects.all() for need in service.needs}
    assert answered == set(Need.values)
    located = SupportService.objects.filter(lat__isnull=False)
    assert located.count() >= 4
    index = area_index()
    assert index is not None
    points = [(float(s.lat or 0), float(s.lon or 0)) for s in located]
    assert all(index.locate(lat, lon) for lat, lon in points), "every located service is inside the demo city"
