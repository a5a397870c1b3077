"""API shapes for reports (django-ninja / pydantic). Strict types: a "yes" is not a boolean."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StrictFloat, StrictInt

from .drafts import Consent, ContactDraft, ReportDraft
from .enums import INTERPRETER_LANGUAGE_MAX

# The codes of enums.Need, spelled out so the OpenAPI document lists them (a test keeps them equal).
NeedCode = Literal[
    "in_danger_now",
    "medical",
    "someone_to_talk_to",
    "legal_advice",
    "safe_place",
    "interpreter",
    "accessibility",
    "formal_complaint",
]


class ConsentIn(Schema):
    """Every choice is required: the reporter decides, we never assume."""

    model_config = ConfigDict(extra="forbid")
    police: StrictBool
    victim_support: StrictBool
    social_services: StrictBool
    city: StrictBool
    contact: StrictBool = Field(description="May the agencies contact you?")
    public_statistics: StrictBool = Field(description="May an anonymised version count in public statistics?")


class ContactIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)


class WhenIn(Schema):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    kind: Literal["now", "at", "range"] = "now"
    start: datetime | None = Field(None, alias="from")
    end: datetime | None = Field(None, alias="to")


class LocationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["point", "area", "none"]
    lat: StrictFloat | None = None
    lon: StrictFloat | None = None
    precision_m: StrictInt | None = Field(None, description="How precise the point is, in metres.")
    area: str | None = Field(None, description="An area code from /areas, when kind is 'area'.")
    address: str = Field("", max_length=300)


class FeelingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    safety_score: StrictInt = Field(description="1 = very unsafe … 5 = safe")
    reasons: list[Literal["lighting", "deserted", "groups", "harassment", "traffic", "other"]] = []
    day_night: Literal["day", "night"] | None = None


class ReportIn(Schema):
    model_config = ConfigDict(extra="forbid")
    category: str = Field(description="A category code from /categories.")
    description: str = Field("", max_length=5000)
    language: Literal["en", "fr", "nl", "it", "es"] | None = None
    when: WhenIn = Field(default_factory=lambda: WhenIn.model_validate({"kind": "now"}))
    location: LocationIn
    consent: ConsentIn
    contact: ContactIn | None = None
    feeling: FeelingIn | None = None
    needs: list[NeedCode] = Field(
        default_factory=list,
        max_length=8,
        description=(
            "Optional: the help the reporter would like. It tailors the guidance in the answer and goes "
            "only to the agencies the reporter consented to; `in_danger_now` puts the emergency number first."
        ),
    )
    interpreter_language: str = Field(
        "",
        max_length=INTERPRETER_LANGUAGE_MAX,
        description="Optional, with the need `interpreter`: the language the reporter would like, in their words.",
    )

    def to_draft(self, *, default_language: str) -> ReportDraft:
        feeling = self.feeling
        return ReportDraft(
            category=self.category,
            description=self.description,
            language=self.language or default_language,
            when=self.when.kind,
            occurred_from=self.when.start,
            occurred_to=self.when.end,
            location=self.location.kind,
            lat=float(self.location.lat) if self.location.lat is not None else None,
            lon=float(self.location.lon) if self.location.lon is not None else None,
            precision_m=self.location.precision_m,
            area=self.location.area,
            address=self.location.address,
            consent=Consent(**self.consent.model_dump()),
            contact=ContactDraft(**self.contact.model_dump()) if self.contact else None,
            safety_score=feeling.safety_score if feeling else None,
            unsafe_reasons=tuple(feeling.reasons) if feeling else (),
            day_night=(feeling.day_night or "") if feeling else "",
            needs=tuple(self.needs),
            interpreter_language=self.interpreter_language,
        )


class SupportServiceOut(Schema):
    code: str
    name: str
    description: str
    phone: str
    url: str
    open_now: bool
    for_needs: list[str] = Field(description="Which of the reporter's needs this service answers.")
    lat: float | None = Field(description="Where to go; null for a phone line or a confidential address.")
    lon: float | None
    distance_m: int | None = Field(description="From the report's point, when both are known.")


class GuidanceOut(Schema):
    emergency_number: str | None = Field(
        description="Set when the reporter is in danger now: show it first, before everything else."
    )
    what_to_do_now: list[str]
    rights: str
    support: list[SupportServiceOut] = Field(
        description="The category's services and those answering the reporter's needs: open now first, then nearest."
    )


class CategoryOut(Schema):
    code: str
    parent: str | None
    kind: str
    sensitive: bool
    name: str
    help: str
    keywords: list[str]
    guidance: GuidanceOut


class ReportCreated(Schema):
    reference: str
    status: str
    category: str
    followup_token: str = Field(description="Keep it: it is the only key to this report. Shown once.")
    followup_url: str
    guidance: GuidanceOut


class StatusOut(Schema):
    status: str
    label: str
    at: datetime
    note: str


class MessageOut(Schema):
    author: Literal["reporter", "staff"]
    body: str
    at: datetime


class FollowupOut(Schema):
    reference: str
    category: str
    category_name: str
    status: str
    status_label: str
    received_at: datetime
    history: list[StatusOut]
    messages: list[MessageOut]


class AddInformationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    body: str = Field(max_length=5000)


class RateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    score: StrictInt = Field(description="1 = not at all … 5 = very well")
    comment: str = Field("", max_length=5000)


class ReopenIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=5000)


class AreaOut(Schema):
    code: str
    name: str
    level: str


class ExportWhenOut(Schema):
    kind: str
    start: datetime
    end: datetime | None


class ExportLocationOut(Schema):
    kind: str
    lat: float | None
    lon: float | None
    precision_m: int | None
    area: str | None
    address: str


class ExportConsentOut(Schema):
    police: bool
    victim_support: bool
    social_services: bool
    city: bool
    contact: bool
    public_statistics: bool


class ExportFeelingOut(Schema):
    safety_score: int | None
    reasons: list[str]
    day_night: str


class ExportNeedsOut(Schema):
    needs: list[str]
    interpreter_language: str


class ExportContactOut(Schema):
    name: str
    email: str
    phone: str


class ExportFeedbackOut(Schema):
    score: int
    comment: str
    at: datetime


class ExportPhotoOut(Schema):
    added_at: datetime
    content_type: str
    width: int
    height: int
    base64: str | None = Field(description="The photo as we keep it (re-encoded, without metadata); null if lost.")


class ExportStoryOut(Schema):
    """The story the reporter chose to share, as sent and as the moderators left it."""

    status: str
    text: str
    published_text: str
    reject_reason: str
    submitted_at: datetime
    published_at: datetime | None
    me_too_count: int


class ReportExportOut(Schema):
    """Everything the reporter gave about their report, with what happened since."""

    reference: str
    exported_at: datetime
    category: str
    category_name: str
    kind: str
    status: str
    received_at: datetime
    description: str
    language: str
    when: ExportWhenOut
    location: ExportLocationOut
    consent: ExportConsentOut
    feeling: ExportFeelingOut | None
    needs: ExportNeedsOut
    contact: ExportContactOut | None
    history: list[StatusOut]
    messages: list[MessageOut]
    feedback: list[ExportFeedbackOut]
    photos: list[ExportPhotoOut]
    story: ExportStoryOut | None
    merged_into: str | None
    anonymised_at: datetime | None


class EraseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    confirm: Literal[True] = Field(description="Must be true: erasing cannot be undone.")
