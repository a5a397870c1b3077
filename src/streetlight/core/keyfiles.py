"""Key material kept outside the database: an environment variable (comma-separated lines) or, if it
is unset, a file readable by its owner only, created with fresh keys on first use. The field-
encryption key ring and the audit signing keys are both kept this way."""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)


def new_key_line(kid: str) -> str:
    """`<id>:<32 random bytes in base64>`."""
    return f"{kid}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


def key_lines(*, env: str, path: Path, first_lines: Callable[[], list[str]], what: str) -> tuple[list[str], str]:
    """The key lines and where they came from (the variable's name or the file's path)."""
    value = os.environ.get(env, "")
    if value.strip():
        return value.split(","), env
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process created it first
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write("\n".join(first_lines()) + "\n")
            logger.warning("created the %s file %s: back it up apart from the database", what, path)
    return [line for line in path.read_text().splitlines() if line.strip()], str(path)
