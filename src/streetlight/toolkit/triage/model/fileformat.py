"""The model file: a header, then a zip of JSON and numpy arrays; never a pickle.

Layout: MAGIC, one line of JSON (kind, format version, SHA-256 and length of the payload), then
the payload: a zip holding `meta.json` (metadata and parameters), `words.json` (the word
vocabulary, in column order) and one `.npy` array per name in ARRAY_NAMES.

No pickle anywhere, so loading a file can never run code; the checksum catches a file damaged
on disk or in transit (it is not a signature: whoever can write the file can rewrite the
checksum too). A path is written to a temporary file and renamed, so a crash never leaves a
half-written model.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

FORMAT_VERSION = 1
"""Model file format version; bumped whenever the file layout or the feature hashing changes."""

MODEL_KIND = "streetlight.triage.CategoryClassifier"
MAGIC = b"STREETLIGHT-MODEL\n"
_MAX_HEADER_BYTES = 4096
_MAX_MEMBER_BYTES = 1 << 30  # refuse a payload member that would inflate past 1 GiB

#: The `.npy` members of the payload, read in this order.
ARRAY_NAMES = ("char_buckets", "idf", "coef", "intercept", "platt_slope", "platt_offset", "thresholds")


class ModelFileError(ValueError):
    """A model file that cannot be trusted: not a model, another format version, truncated or corrupt.

    A ValueError, so callers that already report bad input need nothing new; the message says what is
    wrong with the file, never a pickle or zip traceback.
    """


def write_model(
    target: str | os.PathLike[str] | IO[bytes],
    meta: dict[str, Any],
    words: list[str],
    arrays: Mapping[str, npt.NDArray[Any]],
) -> None:
    """Write a model file: the header, then the payload zipped from `meta`, `words` and `arrays`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("meta.json", json.dumps(meta, ensure_ascii=False, sort_keys=True))
        zf.writestr("words.json", json.dumps(words, ensure_ascii=False))
        for name, array in arrays.items():
            member = io.BytesIO()
            np.save(member, array, allow_pickle=False)
            zf.writestr(f"{name}.npy", member.getvalue())
    payload = buffer.getvalue()
    header = {
        "kind": MODEL_KIND,
        "format_version": FORMAT_VERSION,
        "payload_bytes": len(payload),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    blob = MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + payload
    if not isinstance(target, str | os.PathLike):
        target.write(blob)
        return
    path = Path(target)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name + ".", suffix=".tmp", delete=False) as tmp:
        tmp.write(blob)
    Path(tmp.name).replace(path)


def read_model[ModelT](
    source: str | os.PathLike[str] | IO[bytes],
    build: Callable[[dict[str, Any], Any, dict[str, npt.NDArray[Any]]], ModelT],
) -> ModelT:
    """Read a model file and pass its content (meta, words, arrays) to `build`, which makes the model.

    Any doubt about the file raises ModelFileError, checked in this order: the header, the kind and
    format version, the payload length (truncation), the SHA-256 (corruption), then the content's
    consistency, which includes whatever `build` refuses (a ModelFileError, ValueError, KeyError or
    TypeError it raises is reported as the file's fault).
    """
    try:
        if isinstance(source, str | os.PathLike):
            where = f"model file {os.fspath(source)}"
            blob = Path(source).read_bytes()
        else:
            where = "model"
            blob = source.read()
    except OSError as exc:
        raise ModelFileError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    payload = _checked_payload(blob, where)
    try:
        return build(*_unpack(payload))
    except ModelFileError as exc:
        raise ModelFileError(f"{where}: {exc}") from None
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile, OSError) as exc:
        raise ModelFileError(f"{where}: inconsistent content ({exc})") from None


def _checked_payload(blob: bytes, where: str) -> bytes:
    """The payload after the header, once the header, kind, version, length and checksum are right."""
    if not blob.startswith(MAGIC):
        raise ModelFileError(f"{where}: not a Streetlight model (the file does not start with its header)")
    end = blob.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER_BYTES)
    try:
        if end < 0:
            raise ValueError("no end of header")
        header = json.loads(blob[len(MAGIC) : end])
        kind, version = header["kind"], header["format_version"]
        size, digest = int(header["payload_bytes"]), str(header["payload_sha256"])
    except (ValueError, KeyError, TypeError):
        raise ModelFileError(f"{where}: damaged header") from None
    if kind != MODEL_KIND:
        raise ModelFileError(f"{where}: holds a {kind!r}, not a {MODEL_KIND}")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"{where}: format version {version!r}, but this Streetlight reads version {FORMAT_VERSION}; "
            "retrain the model or use the Streetlight version that wrote it"
        )
    payload = blob[end + 1 :]
    if len(payload) < size:
        raise ModelFileError(f"{where}: truncated ({len(payload):,} of {size:,} payload bytes)")
    if len(payload) > size:
        raise ModelFileError(f"{where}: corrupt ({len(payload) - size:,} unexpected bytes after the payload)")
    if hashlib.sha256(payload).hexdigest() != digest:
        raise ModelFileError(f"{where}: corrupt (SHA-256 of the payload does not match its header)")
    return payload


def _unpack(payload: bytes) -> tuple[dict[str, Any], Any, dict[str, npt.NDArray[Any]]]:
    """meta.json, words.json (unchecked: `build` checks it) and the arrays of a payload."""
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        for info in zf.infolist():
            if info.file_size > _MAX_MEMBER_BYTES:
                raise ModelFileError(f"member {info.filename} is implausibly large")
        meta = json.loads(zf.read("meta.json"))
        words = json.loads(zf.read("words.json"))
        arrays = {name: np.load(io.BytesIO(zf.read(f"{name}.npy")), allow_pickle=False) for name in ARRAY_NAMES}
    return meta, words, arrays


def _package_version(name: str) -> str | None:
    """The installed version of a package, recorded in a model's metadata (None when not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None
