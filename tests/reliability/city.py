"""Set up and read a city's data through the real code, in a process of its own (run by the
reliability tests with `python -m tests.reliability.city VERB`).

catalog    the demo catalog only (areas, categories, agencies and their routing rules)
seed       the demo catalog and reports with encrypted contact details and a photo, processed
snapshot   every row (through the ORM, so encrypted values are decrypted) and every media file's
           SHA-256, as JSON: two snapshots are equal when everything came back identically
change     one more report, one report's description changed, one photo file removed
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import django

REPORTS = 4


def _photo(seed: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40 * seed % 256, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def _submit(index: int) -> int:
    from streetlight.reports.drafts import Consent, ContactDraft, PhotoUpload, ReportDraft
    from streetlight.reports.services import report_submit
    from streetlight.reports.tasks import process_report, triage_report

    consent = Consent(
        police=True, victim_support=True, social_services=False, city=False, contact=True, public_statistics=True
    )
    draft = ReportDraft(
        category="theft-bike",
        consent=consent,
        description=f"Bike {index} stolen from the rack in front of the station.",
        location="area",
        area="D01",
        contact=ContactDraft(name=f"Reporter {index}", email=f"reporter{index}@example.org", phone="+39 011 555 01"),
        photos=(PhotoUpload(name="bike.png", content=_photo(index)),),
    )
    report = report_submit(draft=draft, source="api").report
    process_report.call(report_id=report.pk)
    triage_report.call(report_id=report.pk)
    return report.pk


def catalog() -> None:
    from streetlight.demo.seed import seed_catalog

    seed_catalog()


def seed() -> None:
    catalog()
    for index in range(REPORTS):
        _submit(index)


def snapshot() -> None:
    from django.conf import settings
    from django.core.management import call_command

    rows = io.StringIO()
    call_command("dumpdata", stdout=rows)
    media = Path(settings.MEDIA_ROOT)
    files = {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }
    json.dump({"rows": json.loads(rows.getvalue()), "media": files}, sys.stdout)


def change() -> None:
    from streetlight.reports.models import Photo, Report

    _submit(REPORTS)
    Report.objects.filter(pk=Report.objects.order_by("pk").values("pk")[:1]).update(description="changed")
    photo = Photo.objects.order_by("pk").first()
    assert photo is not None
    Path(photo.image.path).unlink()


if __name__ == "__main__":
    django.setup()
    {"catalog": catalog, "seed": seed, "snapshot": snapshot, "change": change}[sys.argv[1]]()
