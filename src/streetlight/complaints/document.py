"""The complaint's content (JSON, docs/complaint.schema.json) and its printable form (HTML → PDF).

The document's wording is chosen by the complaint's language, not by the officer's screen, so it
lives here with the five languages side by side (like a printed form), apart from the UI catalogs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from streetlight.reports.models import Report, ReportContact
from streetlight.routing.models import Agency

from .models import Complaint

SCHEMA = "https://streetlight.example.org/schemas/complaint/1"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Formal complaint",
        "intro": "Prepared by the police from a Streetlight report, with the reporter's consent. "
        "The complainant still has to sign it at a police station or online.",
        "report": "Streetlight report",
        "category": "Category",
        "occurred": "When it happened",
        "received": "Received",
        "place": "Place",
        "description": "What happened",
        "complainant": "Complainant",
        "name": "Name",
        "email": "E-mail",
        "phone": "Phone",
        "none": "not given",
        "consent": "Consent given",
        "agency": "Police agency",
        "police_reference": "Police reference",
        "generated": "Prepared",
        "signature": "Signature of the complainant",
    },
    "fr": {
        "title": "Plainte formelle",
        "intro": "Préparée par la police à partir d'un signalement Streetlight, avec l'accord de la personne. "
        "La personne plaignante doit encore la signer au commissariat ou en ligne.",
        "report": "Signalement Streetlight",
        "category": "Catégorie",
        "occurred": "Date des faits",
        "received": "Reçu le",
        "place": "Lieu",
        "description": "Les faits",
        "complainant": "Personne plaignante",
        "name": "Nom",
        "email": "Courriel",
        "phone": "Téléphone",
        "none": "non indiqué",
        "consent": "Accord donné le",
        "agency": "Service de police",
        "police_reference": "Référence de la police",
        "generated": "Préparée le",
        "signature": "Signature de la personne plaignante",
    },
    "nl": {
        "title": "Formele aangifte",
        "intro": "Door de politie opgesteld op basis van een Streetlight-melding, met toestemming van de melder. "
        "De aangever moet ze nog ondertekenen op het politiebureau of online.",
        "report": "Streetlight-melding",
        "category": "Categorie",
        "occurred": "Wanneer",
        "received": "Ontvangen",
        "place": "Plaats",
        "description": "Wat er gebeurde",
        "complainant": "Aangever",
        "name": "Naam",
        "email": "E-mail",
        "phone": "Telefoon",
        "none": "niet opgegeven",
        "consent": "Toestemming gegeven",
        "agency": "Politiedienst",
        "police_reference": "Referentie van de politie",
        "generated": "Opgesteld",
        "signature": "Handtekening van de aangever",
    },
    "it": {
        "title": "Denuncia formale",
        "intro": "Preparata dalla polizia da una segnalazione Streetlight, con il consenso della persona. "
        "Chi denuncia deve ancora firmarla in un ufficio di polizia o online.",
        "report": "Segnalazione Streetlight",
        "category": "Categoria",
        "occurred": "Quando è successo",
        "received": "Ricevuta",
        "place": "Luogo",
        "description": "Cosa è successo",
        "complainant": "Denunciante",
        "name": "Nome",
        "email": "E-mail",
        "phone": "Telefono",
        "none": "non indicato",
        "consent": "Consenso dato",
        "agency": "Servizio di polizia",
        "police_reference": "Riferimento della polizia",
        "generated": "Preparata",
        "signature": "Firma del denunciante",
    },
    "es": {
        "title": "Denuncia formal",
        "intro": "Preparada por la policía a partir de un aviso de Streetlight, con el consentimiento de la persona. "
        "La persona denunciante aún debe firmarla en una comisaría o en línea.",
        "report": "Aviso de Streetlight",
        "category": "Categoría",
        "occurred": "Cuándo ocurrió",
        "received": "Recibido",
        "place": "Lugar",
        "description": "Qué ocurrió",
        "complainant": "Denunciante",
        "name": "Nombre",
        "email": "Correo electrónico",
        "phone": "Teléfono",
        "none": "no indicado",
        "consent": "Consentimiento dado",
        "agency": "Servicio de policía",
        "police_reference": "Referencia de la policía",
        "generated": "Preparada",
        "signature": "Firma del denunciante",
    },
}


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def complaint_data(
    *,
    report: Report,
    complaint: Complaint,
    contact: ReportContact | None,
    agency: Agency,
    language: str,
    generated_at: datetime,
) -> dict[str, Any]:
    """The structured export; its layout is docs/complaint.schema.json."""
    return {
        "$schema": SCHEMA,
        "report": {
            "reference": report.reference,
            "category": {"code": report.category.code, "name": report.category.name(language)},
            "received_at": _iso(report.created_at),
            "occurred_from": _iso(report.occurred_from),
            "occurred_to": _iso(report.occurred_to),
            "place": {
                "area_code": report.area.code if report.area else None,
                "area_name": report.area.name if report.area else None,
                "address": report.address or None,
                "lat": report.lat,
                "lon": report.lon,
                "precision_m": report.precision_m,
            },
            "description": report.description,
            "language": report.language,
        },
        "complainant": (
            {"name": contact.name or None, "email": contact.email or None, "phone": contact.phone or None}
            if contact
            else None
        ),
        "consent": {"given_at": _iso(complaint.consented_at), "withdrawn_at": _iso(complaint.withdrawn_at)},
        "agency": {"code": agency.code, "name": agency.name},
        "police_reference": complaint.police_reference or None,
        "language": language,
        "generated_at": _iso(generated_at),
    }


def render_html(data: dict[str, Any]) -> str:
    return render_to_string(
        "complaints/complaint.html",
        {"d": data, "t": LABELS[data["language"]], "city_name": settings.STREETLIGHT["CITY_NAME"]},
    )


def render_pdf(data: dict[str, Any]) -> bytes:
    """WeasyPrint is imported here only, as in insight.policy: it is heavy, and only this needs it."""
    from weasyprint import HTML

    return bytes(HTML(string=render_html(data)).write_pdf())
