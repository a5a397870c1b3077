"""Shared version stamps for per-process caches: a process keeps its compiled data while the stamp
in the shared cache is unchanged. A missing stamp (new or flushed cache) is replaced by a fresh
random one, so a flush always means "recompute", never "keep what you have"."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable

from django.core.cache import cache


def current(key: str) -> str:
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.token_hex(8), timeout=None)
        value = cache.get(key)
    return str(value)


def bump(key: str) -> None:
    cache.set(key, secrets.token_hex(8), timeout=None)


class ProcessMemo[T]:
    """A value computed once per process and kept while the version stamp under `key` is unchanged:
    hot paths (intake, the report form) read it for the price of one cache lookup."""

    def __init__(self, key: str, compute: Callable[[], T]) -> None:
        self._key, self._compute = key, compute
        self._lock = threading.Lock()
        self._version: str | None = None
        self._value: T | None = None

    def get(self) -> T:
        """The value for the current stamp; a None value (nothing to build from yet) is built again."""
        version = current(self._key)
        with self._lock:
            if self._version != version or self._value is None:
                self._value, self._version = self._compute(), version
            return self._value

    def forget(self) -> None:
        """Build again on the next get in this process, whatever the shared stamp says."""
        with self._lock:
            self._version = None
