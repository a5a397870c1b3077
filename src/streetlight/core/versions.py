"""Shared version stamps for per-process caches: a process keeps its compiled data while the stamp
in the shared cache is unchanged. A missing stamp (new or flushed cache) is replaced by a fresh
random one, so a flush always means "recompute", never "keep what you have"."""

from __future__ import annotations

import secrets

from django.core.cache import cache


def current(key: str) -> str:
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.token_hex(8), timeout=None)
        value = cache.get(key)
    return str(value)


def bump(key: str) -> None:
    cache.set(key, secrets.token_hex(8), timeout=None)
