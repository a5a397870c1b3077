"""The public side: only approved stories on the wall, in the feed and the exports (and gone the
moment they are withdrawn); filters, search, the month-only rule, "this happened to me too" once
per browser, and the peer-support groups."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from streetlight.reports.models import Report
from streetlight.stories.feeds import EXPORT_FIELDS
from streetlight.stories.models import MeToo, Story, StoryStatus

from .factories import DESCRIPTION, STORY, approve, file_report, share

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLIC = ("/stories/", "/stories/feed.atom", "/stories/stories.csv", "/stories/stories.json")


def public_texts(client: Client | None = None, query: str = "") -> dict[str, str]:
    client = client or Client()
    return {path: client.get(path + query).content.decode() for path in PUBLIC}


def rows(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body)))


def test_an_unmoderated_story_is_never_public(shared: tuple[Story, str]) -> None:
    story, _token = shared
    for path, body in {**public_texts(), **public_texts(query="?q=nobody")}.items():
        assert "nobody said anything" not in body, path
        assert story.public_id not in body, path
    assert Client().get(f"/stories/{story.public_id}/").status_code == 404
    assert Client().post(f"/stories/{story.public_id}/me-too/").status_code == 404
    assert rows(public_texts()["/stories/stories.csv"]) == []
    assert json.loads(public_texts()["/stories/stories.json"])["stories"] == []


def test_a_rejected_story_is_never_public(shared: tuple[Story, str], moderating: Client) -> None:
    story, _token = shared
    moderating.post(f"/control/stories/{story.pk}/reject/", {"reason": "Names a person."})
    for body in public_texts().values():
        assert "nobody said anything" not in body


def test_an_approved_story_is_on_the_wall_the_feed_and_the_exports(published: tuple[Story, str]) -> None:
    story, _token = published
    texts = public_texts()
    for path, body in texts.items():
        assert "nobody said anything" in body, path
    detail = Client().get(f"/stories/{story.public_id}/")
    assert detail.status_code == 200 and "nobody said anything" in detail.content.decode()
    assert Client().get("/stories/")["Cache-Control"] == "no-cache"


def test_a_withdrawn_story_disappears_from_the_wall_the_feed_and_the_exports(published: tuple[Story, str]) -> None:
    story, token = published
    assert Client().post(f"/f/{token}/story/withdraw/").status_code == 302
    for path, body in public_texts().items():
        assert "nobody said anything" not in body and story.public_id not in body, path
    assert Client().get(f"/stories/{story.public_id}/").status_code == 404
    assert not MeToo.objects.filter(story=story).exists()


def test_nothing_public_leads_to_the_report_or_tells_the_day(published: tuple[Story, str]) -> None:
    story, _token = published
    report = Report.objects.get(pk=story.report_id)
    for path, body in public_texts().items():
        for secret in (report.reference, DESCRIPTION, f"{report.occurred_from:%Y-%m-%d}", "Unwanted touching"):
            assert secret not in body, (path, secret)
    exported = rows(public_texts()["/stories/stories.csv"])
    assert list(exported[0]) == list(EXPORT_FIELDS)
    assert exported[0]["month"] == f"{story.month:%Y-%m}" and exported[0]["category"] == "harassment"
    assert exported[0]["district"] == report.area.code  # type: ignore[union-attr]
    document = json.loads(public_texts()["/stories/stories.json"])
    assert set(document["stories"][0]) == set(EXPORT_FIELDS)
    entry = etree.fromstring(Client().get("/stories/feed.atom").content).find(f"{ATOM}entry")
    assert entry is not None
    updated = entry.findtext(f"{ATOM}updated") or ""
    assert updated[8:19] == "01T00:00:00"  # the first instant of the month, nothing finer
    wall = Client().get("/stories/").content.decode()
    assert story.month.strftime("%B %Y") in wall


def test_filters_by_category_and_district_and_search(
    published: tuple[Story, str], report_json: dict[str, Any], moderating: Client
) -> None:
    story, _token = published
    theft, token = file_report(Client(), report_json, category="theft-bike")
    share(Client(), token, "My bicycle disappeared from the rack while I was at the café. Égalité for cyclists!")
    approve(moderating, Story.objects.get(report=theft))
    district = story.district.code  # type: ignore[union-attr]

    def shown(query: str) -> tuple[bool, bool]:
        page = Client().get("/stories/" + query).content.decode()
        return "nobody said anything" in page, "bicycle disappeared" in page

    assert shown("") == (True, True)
    assert shown("?category=harassment") == (True, False)  # the main category finds its sub-categories
    assert shown("?category=theft") == (False, True)
    assert shown(f"?district={district}&category=theft") == (False, True)
    assert shown("?q=NOBODY+said") == (True, False)
    assert shown("?q=egalite") == (False, True)  # case and accents aside
    assert shown("?q=nobody+bicycle") == (False, False)  # every word
    feed = Client().get("/stories/feed.atom?category=theft").content.decode()
    assert "bicycle disappeared" in feed and "nobody said anything" not in feed
    assert len(rows(Client().get("/stories/stories.csv?q=bicycle").content.decode())) == 1


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("category=nope", "category"), ("category=harassment-touching", "category"), ("district=nope", "district")],
)
@pytest.mark.parametrize("path", PUBLIC)
def test_bad_filters_are_refused_naming_the_parameter(path: str, query: str, parameter: str) -> None:
    response = Client().get(f"{path}?{query}")
    assert response.status_code == 400 and f"Parameter “{parameter}”" in response.content.decode()


def test_a_search_over_the_length_limit_is_refused() -> None:
    response = Client().get("/stories/?q=" + "a" * 101)
    assert response.status_code == 400 and "Parameter “q”" in response.content.decode()
    assert "at most 100 characters" in response.content.decode()


def test_the_search_reads_only_the_published_text(
    client: Client, filed: tuple[Report, str], moderating: Client
) -> None:
    _report, token = filed
    share(client, token, STORY + " His name was Bartholomew.")
    story = Story.objects.get()
    approve(moderating, story, STORY)  # the moderator took the name out
    assert "Bartholomew" not in Client().get("/stories/?q=bartholomew").content.decode()
    assert "0 stories" in Client().get("/stories/?q=bartholomew").content.decode()


def test_me_too_counts_once_per_browser(published: tuple[Story, str]) -> None:
    story, _token = published
    first, second = Client(), Client()
    response = first.post(f"/stories/{story.public_id}/me-too/", {"next": "/stories/?category=harassment"})
    assert response.status_code == 302
    assert response["Location"] == f"/stories/?category=harassment#story-{story.public_id}"
    cookie = response.cookies["metoo"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert first.post(f"/stories/{story.public_id}/me-too/").status_code == 302
    story.refresh_from_db()
    assert story.me_too_count == 1
    second.post(f"/stories/{story.public_id}/me-too/")
    story.refresh_from_db()
    assert story.me_too_count == 2
    kept = set(MeToo.objects.filter(story=story).values_list("browser", flat=True))
    assert len(kept) == 2 and cookie.value not in kept and "127.0.0.1" not in str(kept)
    page = first.get("/stories/").content.decode()
    assert "2 people said this happened to them too" in page and "You said this happened to you too" in page
    assert "This happened to me too</button>" in Client().get("/stories/").content.decode()


def test_me_too_goes_back_only_to_the_wall(published: tuple[Story, str]) -> None:
    story, _token = published
    for target in ("https://evil.example/", "//evil.example/stories/", "/control/"):
        response = Client().post(f"/stories/{story.public_id}/me-too/", {"next": target})
        assert response["Location"] == f"/stories/{story.public_id}/#story-{story.public_id}"


def test_me_too_is_rate_limited(published: tuple[Story, str], settings: Any) -> None:
    story, _token = published
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBMIT_RATE": "2/1m"}
    answers = [Client().post(f"/stories/{story.public_id}/me-too/").status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    story.refresh_from_db()
    assert story.me_too_count == 2


def test_peer_support_groups_match_the_category_and_the_language(published: tuple[Story, str]) -> None:
    story, _token = published
    harassment = Client().get("/stories/?category=harassment").content.decode()
    assert "Walk-and-talk circle" in harassment and "After violence" not in harassment
    assert "After violence" in Client().get("/stories/?category=gender-violence").content.decode()
    assert "Walk-and-talk" not in Client().get("/stories/?category=theft").content.decode()
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl").get("/stories/?category=harassment").content.decode()
    assert "Wandel- en praatgroep" not in dutch  # the circle speaks English, French and Italian
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/stories/?category=harassment").content.decode()
    assert "Cercle « marcher et parler »" in french
    assert "Walk-and-talk circle" in Client().get(f"/stories/{story.public_id}/").content.decode()


def test_the_wall_pages_newest_first(report_json: dict[str, Any], moderating: Client, settings: Any) -> None:
    settings.STREETLIGHT = {**settings.STREETLIGHT, "SUBMIT_RATE": "100/1m"}
    for n in range(21):
        report, token = file_report(Client(), report_json)
        share(Client(), token, f"Story number {n:02d}: " + STORY)
        approve(moderating, Story.objects.get(report=report))
    first = Client().get("/stories/").content.decode()
    assert "21 stories" in first and "Story number 20" in first and "Story number 00" not in first
    assert "Page 1 of 2" in first
    second = Client().get("/stories/?page=2").content.decode()
    assert "Story number 00" in second and "Story number 20" not in second
    assert Client().get("/stories/?page=nine").status_code == 200


def test_csv_cells_never_start_a_formula(client: Client, filed: tuple[Report, str], moderating: Client) -> None:
    _report, token = filed
    share(client, token, "=HYPERLINK(1) " + STORY)
    approve(moderating, Story.objects.get())
    assert rows(Client().get("/stories/stories.csv").content.decode())[0]["text"].startswith("'=HYPERLINK")
    assert json.loads(Client().get("/stories/stories.json").content)["stories"][0]["text"].startswith("=HYPERLINK")


def test_a_story_links_nothing_but_the_wall_and_its_groups(published: tuple[Story, str]) -> None:
    story, _token = published
    assert Story.objects.filter(status=StoryStatus.APPROVED).count() == 1
    page = Client().get(f"/stories/{story.public_id}/").content.decode()
    assert "/f/" not in page and "/control/" not in page
