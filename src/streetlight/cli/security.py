"""Security verbs: field-encryption keys."""

from __future__ import annotations

import argparse
import os
import secrets

from streetlight.cli.base import django_setup


def cmd_keys(args: argparse.Namespace) -> int:
    """Field-encryption keys: `add` a new current key, `rotate` re-encrypts under it (resumable)."""
    django_setup()
    from streetlight.core import crypto, keys

    if args.action == "add":
        if os.environ.get("STREETLIGHT_KEYS", "").strip():
            kid = f"k{secrets.randbelow(10**6)}"
            print("Keys come from STREETLIGHT_KEYS: put this line first there, then run `streetlight keys rotate`:")
            print(crypto.new_key_line(kid))
            return 0
        print(f"Key {keys.key_add()} is now current in {crypto.key_file()}; run `streetlight keys rotate`.")
        return 0
    for label, count in keys.rotate().items():
        print(f"{label}: {count} rows re-encrypted under key {crypto.keyring().current}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="field-encryption keys: add a new one, re-encrypt under it")
    p.add_argument("action", choices=["add", "rotate"])
    p.set_defaults(func=cmd_keys)
