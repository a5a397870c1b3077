"""Bytes a phone downloads for the report form: HTML, CSS, JS and the map's own images (tiles
excluded), as transferred (compressed when the server compresses) and uncompressed."""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx

from .common import server

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')
LEAFLET_IMAGES = ("marker-icon.png", "marker-shadow.png", "marker-icon-2x.png")


@dataclass
class PageWeight:
    path: str
    transferred: int
    uncompressed: int
    files: int


def measure(env: dict[str, str], path: str = "/report/") -> PageWeight:
    with server(env) as base, httpx.Client(base_url=base, headers={"Accept-Encoding": "gzip, br"}) as client:
        page = client.get(path)
        page.raise_for_status()
        urls = [u for u in ASSET.findall(page.text) if u.startswith("/static/")]
        css = [u for u in urls if u.endswith(".css")]
        for sheet in css:
            if "leaflet" in sheet:
                folder = sheet.rsplit("/", 1)[0]
                urls += [f"{folder}/images/{name}" for name in LEAFLET_IMAGES[:2]]
        transferred, uncompressed = page.num_bytes_downloaded, len(page.content)
        for url in urls:
            resp = client.get(url)
            resp.raise_for_status()
            transferred += resp.num_bytes_downloaded
            uncompressed += len(resp.content)
        return PageWeight(path=path, transferred=transferred, uncompressed=uncompressed, files=1 + len(urls))
