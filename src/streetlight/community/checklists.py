"""What a business does in the first hour of a cyber incident, per kind of incident.

Kept as translatable strings in code (not in the report catalog) because these are longer, ordered
checklists for businesses; the report catalog's `cyber-business-*` categories are where the
incident is then reported, so each kind names its category."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class IncidentKind:
    slug: str
    category: str  # the report catalog's category code
    name: Promise
    summary: Promise
    steps: tuple[Promise, ...]


INCIDENTS: tuple[IncidentKind, ...] = (
    IncidentKind(
        slug="phishing",
        category="cyber-business-phishing",
        name=_("Phishing"),
        summary=_("A fake e-mail, text message or call tried to get passwords, codes or bank details."),
        steps=(
            _("Do not click the links, open the attachments or reply."),
            _("If someone typed a password, change it now from a safe device, and everywhere it was reused."),
            _("Turn on two-step login (MFA) for e-mail, banking and accounting accounts."),
            _("If bank details or a card were given, call your bank at once to block payments."),
            _("Warn your colleagues so nobody else falls for the same message."),
            _("Keep the message (a screenshot and the original) as evidence until you have reported it."),
        ),
    ),
    IncidentKind(
        slug="ransomware",
        category="cyber-business-ransomware",
        name=_("Ransomware"),
        summary=_("Files or computers are locked and someone demands money to unlock them."),
        steps=(
            _("Disconnect the affected computers from the network: pull the cable and turn off Wi-Fi."),
            _("Do not switch the computers off: evidence in memory helps the investigators."),
            _("Do not pay the ransom: paying does not guarantee you get your data back."),
            _("Photograph the ransom note on the screen, with the date and time."),
            _("Call your IT provider or the cyber desk before you restore anything from backups."),
            _("Report it to the police and tell your insurer."),
        ),
    ),
    IncidentKind(
        slug="invoice",
        category="cyber-business-invoice",
        name=_("Invoice or CEO fraud"),
        summary=_("Someone posing as a supplier or your boss asked you to pay an invoice or change bank details."),
        steps=(
            _("Call your bank at once and ask them to stop or recall the payment."),
            _("Check the request by calling the supplier or manager on a number you already know."),
            _("Do not change bank details on the strength of an e-mail alone."),
            _("Keep the e-mails, invoices and payment receipts as evidence."),
            _("Change the password of the mailbox that was used, and turn on two-step login (MFA)."),
            _("Report it to the police; your bank will ask for the complaint."),
        ),
    ),
    IncidentKind(
        slug="fake-orders",
        category="cyber-business-fake-orders",
        name=_("Fake orders"),
        summary=_("Goods were ordered or delivered under a false name, or paid with stolen cards or fake transfers."),
        steps=(
            _("Stop shipping further orders from the same customer until the payment is confirmed by your bank."),
            _("Keep the order details, addresses, messages and delivery notes."),
            _("Tell your payment provider or bank about the suspicious payments."),
            _("Warn the carrier if a parcel is still on its way."),
            _("Report it to the police with the list of orders."),
        ),
    ),
    IncidentKind(
        slug="data-leak",
        category="cyber-business-data-leak",
        name=_("Data leak"),
        summary=_("Personal data of customers or staff were stolen, published or sent to the wrong person."),
        steps=(
            _("Stop the leak: close the access, change the passwords, take the file offline."),
            _("Write down what data, how many people and since when: you will need it for the notification."),
            _(
                "Notify the data-protection authority within 72 hours of finding out (GDPR article 33), "
                "even if you do not know everything yet."
            ),
            _("If the leak puts people at high risk, tell them too, with advice on what to do."),
            _("Keep the evidence and the list of what you did, with times."),
            _("Report it to the police if the data were stolen."),
        ),
    ),
)

BY_SLUG = {kind.slug: kind for kind in INCIDENTS}
