"""A backtest's hit-rate curves as a small, self-contained SVG (no plotting library needed).

One line per method: the pooled hit rate against the share of the area flagged, the usual way to
compare hotspot forecasts at every coverage at once rather than at one chosen cut-off.
"""

from __future__ import annotations

from html import escape

from .backtest import BacktestResult

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 60, 170, 30, 50
COLOURS = ("#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#444444")


def hit_rate_svg(result: BacktestResult, title: str = "Hit rate by share of area flagged") -> str:
    """SVG text of the pooled hit-rate curves of every method in `result`."""
    coverages = list(result.spec.curve)
    curves = {name: m.curve_pooled() for name, m in result.methods.items()}
    top = max([0.1, *[v for c in curves.values() for v in c if v == v]])
    top = min(1.0, (int(top * 10) + 1) / 10)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(c: float) -> float:
        return LEFT + plot_w * c / max(coverages)

    def py(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{LEFT}" y="18" font-size="14">{escape(title)}</text>',
    ]
    for i in range(0, 11):
        v = top * i / 10
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{LEFT - 6}" y="{py(v) + 4:.1f}" text-anchor="end">{v:.2f}</text>')
    for c in coverages[4::5]:
        out.append(f'<text x="{px(c):.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{c:.0%}</text>')
    out.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle">share of the area flagged</text>'
    )
    out.append(
        f'<text transform="translate(14 {TOP + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle">'
        "hit rate (pooled)</text>"
    )
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>')
    for k, (name, values) in enumerate(curves.items()):
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(f"{px(c):.1f},{py(v):.1f}" for c, v in zip(coverages, values, strict=True) if v == v)
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        y = TOP + 10 + 18 * k
        out.append(
            f'<line x1="{WIDTH - RIGHT + 15}" x2="{WIDTH - RIGHT + 35}" y1="{y}" y2="{y}" stroke="{colour}" '
            'stroke-width="3"/>'
        )
        out.append(f'<text x="{WIDTH - RIGHT + 40}" y="{y + 4}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
