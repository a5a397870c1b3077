"""Charts drawn on the server with matplotlib: the same picture on screen, as a download (SVG or
PNG) and in the printed policy report, with no JavaScript charting library and no CDN."""

from __future__ import annotations

import io
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")  # no display on a server

from matplotlib import colormaps
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from .dashboard import Trend

Format = Literal["svg", "png"]
# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000", "#999999"]


def trend_chart(trend: Trend, *, title: str, ylabel: str, fmt: Format) -> bytes:
    figure = Figure(figsize=(8, 3.6), dpi=100)
    axes = figure.add_subplot()
    x = range(len(trend.months))
    for i, (name, counts) in enumerate(trend.series.items()):
        axes.plot(x, counts, label=name, color=PALETTE[i % len(PALETTE)], linewidth=2, marker="o", markersize=3)
    step = max(1, len(trend.months) // 12)
    axes.set_xticks(list(x)[::step], trend.months[::step], rotation=45, ha="right", fontsize=8)
    axes.set_title(title, loc="left", fontsize=11)
    axes.set_ylabel(ylabel)
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    if trend.series:
        axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Outer rings of a GeoJSON Polygon or MultiPolygon, as [lon, lat] lists."""
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def area_map(
    geometries: dict[str, dict[str, Any]], counts: dict[str, int], *, highlight: str | None, title: str
) -> bytes:
    """The city's areas shaded by their count, each labelled with it; no tiles, so it prints."""
    figure = Figure(figsize=(6, 5), dpi=100)
    axes = figure.add_subplot()
    patches, values, labels = [], [], []
    for code, geometry in geometries.items():
        for ring in _rings(geometry):
            patches.append(Polygon(ring, closed=True))
            values.append(counts.get(code, 0))
        rings = _rings(geometry)
        if rings:
            xs = [p[0] for p in rings[0]]
            ys = [p[1] for p in rings[0]]
            labels.append((sum(xs) / len(xs), sum(ys) / len(ys), counts.get(code, 0), code == highlight))
    collection = PatchCollection(patches, cmap=colormaps["Oranges"], edgecolor="#444444", linewidth=0.6)
    collection.set_array(values)
    axes.add_collection(collection)
    for x, y, count, marked in labels:
        axes.annotate(str(count), (x, y), ha="center", va="center", fontsize=8, fontweight="bold" if marked else None)
    axes.autoscale_view()
    axes.set_aspect("equal")
    axes.set_axis_off()
    axes.set_title(title, loc="left", fontsize=11)
    figure.colorbar(collection, ax=axes, shrink=0.7)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def bar_chart(values: dict[str, int], *, title: str, xlabel: str, fmt: Format) -> bytes:
    """Horizontal bars, largest on top, each labelled with its value."""
    figure = Figure(figsize=(8, 0.45 * max(len(values), 3) + 1), dpi=100)
    axes = figure.add_subplot()
    names, counts = list(values)[::-1], list(values.values())[::-1]
    bars = axes.barh(names, counts, color=PALETTE[0])
    axes.bar_label(bars, padding=3, fontsize=8)
    axes.set_title(title, loc="left", fontsize=11)
    axes.set_xlabel(xlabel)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()
