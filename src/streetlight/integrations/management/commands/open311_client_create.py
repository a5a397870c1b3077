"""`manage.py open311_client_create NAME`: register an Open311 client and print its API key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from streetlight.integrations import services


class Command(BaseCommand):
    help = "Register an Open311 client and print its API key (shown only this once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="who the key is for, e.g. 'FixMyStreet Portavera'")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client, raw_key = services.open311_client_create(name=options["name"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"Open311 client {client.name} (id {client.pk}) created. Its API key:")
        self.stdout.write(raw_key)
