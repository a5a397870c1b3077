"""The forecast bench's section of docs/benchmarks.md."""

from __future__ import annotations

import os
import platform

import numpy as np
import scipy

from streetlight.toolkit.forecast import BacktestResult

from .config import (
    BACKTEST_TARGET_S,
    BEAT_TARGET,
    OPEN_CP_S,
    PROFILE_WEIGHTS,
    REFERENCE,
    SEPP_BANDWIDTHS,
    SEPP_FIT_TARGET_S,
    SPEEDUP_TARGET,
    TOLERANCE,
    ForecastBench,
)


def _f(v: float, digits: int = 3) -> str:
    return "—" if v != v else f"{v:.{digits}f}"


def markdown(bench: ForecastBench, *, measured: str) -> list[str]:
    assert bench.chicago is not None
    lines = [
        "## Forecast",
        "",
        f"Measured {measured}. {os.cpu_count()} cores (shared), Python {platform.python_version()}, numpy "
        f"{np.__version__}, scipy {scipy.__version__}; one process. Whole forecast bench: {bench.seconds:.0f} s.",
        "",
        "`streetlight.toolkit.forecast` on Chicago residential burglary 2016 (day resolution, EPSG:26971): "
        f"150 m cells whose centre is inside the city polygon ({bench.chicago.grid['cells']:,} cells, aligned on "
        "multiples of 150 m), 306 next-day forecasts from 2016-03-01, each trained only on events strictly before "
        "its day. Hit rate = share of the day's events in the flagged cells; PAI = hit rate / share of the area "
        "flagged; PEI = hits / the most hits any cells of the same number could have had. Tie rule: cells tied at "
        "the cut-off count for the share of their group that fits (the expectation over every order of the tied "
        "cells). Per-window results and the hit-rate chart: `var/bench/forecast/chicago.json`, `chicago.svg`.",
        "",
        "### Reference oracle (mean of daily hit rates)",
        "",
        "| method | ours 5% | reference 5% | ours 10% | reference 10% | within ±0.005 |",
        "|---|---:|---:|---:|---:|---|",
    ]
    settings = {
        "naive": "counts over the previous 60 days",
        "naive (all history)": "counts over every earlier day",
        "kde": "Gaussian σ = 150 m between cell centres, previous 60 days",
        "prospective": "1/(1+d)·1/(1+t), d in Chebyshev cell steps < 400 m / 150 m, t in whole weeks < 8, "
        "previous 60 days",
    }
    idx5, idx10 = bench.reference["naive (60 days, ties by cell index)"]
    for name, (r5, r10) in REFERENCE.items():
        for ours_name in [name, "naive (all history)"] if name == "naive" else [name]:
            o5, o10 = bench.reference[ours_name]
            ok = abs(o5 - r5) <= TOLERANCE and abs(o10 - r10) <= TOLERANCE
            lines.append(
                f"| {ours_name} ({settings[ours_name]}) | {o5:.3f} | {r5:.3f} | {o10:.3f} | {r10:.3f} | "
                f"{'yes' if ok else '**no**'} ({o5 - r5:+.3f} / {o10 - r10:+.3f}) |"
            )
    lines += [
        "",
        "KDE and prospective reproduce the reference. Naive counts over 60 days do not: at 10 % coverage (2,661 "
        f"cells) more cells are flagged than had any burglary in the previous 60 days (on average "
        f"{bench.nonzero_cells_60d:,.0f}), so the rest of the flagged cells are all tied at zero and any hit "
        "rate above ≈0.26 there comes from how those ties are ordered, not from the data. Breaking them by "
        f"cell index gives {idx5:.3f} / {idx10:.3f}, not 0.330 either. Counts over every earlier "
        "day reproduce both reference figures, so the reference's naive most likely used the whole history; "
        "both rows are kept.",
        "",
        "### Every method on Chicago (306 next-day windows)",
        "",
        "| method | coverage | hit rate (mean) | hit rate (pooled) | PAI (mean) | PAI (pooled) | PEI (mean) "
        "| PEI (pooled) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in bench.chicago.methods.items():
        for s in m.summary():
            lines.append(
                f"| {name} | {s.coverage:.0%} | {_f(s.hit_rate_mean)} | {_f(s.hit_rate_pooled)} | "
                f"{_f(s.pai_mean, 2)} | {_f(s.pai_pooled, 2)} | {_f(s.pei_mean)} | {_f(s.pei_pooled)} |"
            )
    sepp5 = bench.chicago.methods["sepp"].summary()[0]
    speedup = OPEN_CP_S * 1000 / bench.prospective_ms
    best = max(bench.reference[n][0] for n in ("naive", "kde", "prospective"))
    reached = sepp5.hit_rate_mean >= BEAT_TARGET
    lines += [
        "",
        "On next-day windows the day's ~32 burglaries are fewer than the 1,331 cells flagged at 5 %, so the "
        "oracle catches every one of them and PEI equals the hit rate; PEI differs only for longer windows or "
        "much smaller coverages. `context` here has only the calendar (weekday, paydays: last working day and "
        "the 15th), which changes the expected count, not the ranking: its hit rate is that of its base (a KDE "
        "of all history, σ 200 m, 60-day exponential decay).",
        "",
        "### Beating the best baseline",
        "",
        f"Target: hit rate at 5 % ≥ {BEAT_TARGET} (mean of daily values). Best baseline: {best:.3f}. "
        f"**SEPP reaches {sepp5.hit_rate_mean:.3f}** (pooled {sepp5.hit_rate_pooled:.3f}, PAI "
        f"{sepp5.pai_mean:.2f}, PEI {sepp5.pei_mean:.3f}): target "
        f"{'reached' if reached else 'NOT reached'}, ratio {sepp5.hit_rate_mean / BEAT_TARGET:.3f}.",
        "",
        "How it was tuned, on data before the test period only: SEPP's parameters (θ, ω, σ, background) are "
        "fitted by EM on each day's training events. Its one setting, the background kernel's bandwidth, was "
        f"chosen from {', '.join(f'{b:g}' for b in SEPP_BANDWIDTHS)} m by a rolling-origin backtest of the same "
        "kind on the 39 days 2016-01-22 .. 2016-02-29 (training from 2016-01-01), best pooled hit rate at 5 %:",
        "",
        "| candidate | pooled hit rate at 5 %, 2016-01-22 .. 02-29 |",
        "|---|---:|",
        *[f"| {k}{' (chosen)' if k == bench.chosen else ''} | {v:.3f} |" for k, v in bench.tuning.items()],
        "",
        f"Margin: {sepp5.hit_rate_mean - BEAT_TARGET:+.3f} against the target. SEPP as a model family was "
        "chosen knowing the baselines' test figures, though none of its settings saw the test period; read it "
        "as reaching the target, not as a comfortable win. Most of the gain plausibly comes from the "
        "background using all earlier history (the baselines see 60 days) plus exact-location repeats.",
        "",
        "### Speed",
        "",
        "| what | measured | target | ratio to target |",
        "|---|---:|---:|---:|",
        f"| backtest of naive + KDE + prospective, 306 days | {bench.baseline_seconds:.1f} s | "
        f"< {BACKTEST_TARGET_S:.0f} s | "
        f"{bench.baseline_seconds / BACKTEST_TARGET_S:.2f} |",
        f"| one prospective forecast (fit + predict, median of Nov 2016; the first on a new grid, which builds "
        f"its neighbour list, {bench.prospective_cold_ms:.0f} ms) | {bench.prospective_ms:.1f} ms | "
        f"≥ {SPEEDUP_TARGET:.0f}× faster than open_cp's {OPEN_CP_S:.0f} s | "
        f"{speedup:,.0f}× faster ({speedup / SPEEDUP_TARGET:,.0f}× the target) |",
        f"| SEPP fit on a year ({bench.sepp_events:,} events of 2016; new grid, kernel built, EM run) | "
        f"{bench.sepp_fit_s:.2f} s | < {SEPP_FIT_TARGET_S:.0f} s | "
        f"{bench.sepp_fit_s / SEPP_FIT_TARGET_S:.3f} |",
        "",
        f"SEPP on the year: θ = {bench.sepp_params['theta']:.3f} events triggered per event, mean delay "
        f"1/ω = {1 / bench.sepp_params['omega']:.0f} days, σ = {bench.sepp_params['sigma']:.0f} m (the 10 m floor: "
        "the block-level coordinates put repeats at the very same point), background "
        f"{bench.sepp_params['background_per_day']:.1f} events/day. In the 306-day backtest SEPP's daily fits "
        f"(warm-started) took {bench.chicago.methods['sepp'].fit_seconds:.0f} s in all.",
    ]
    lines += _houston_markdown(bench)
    return lines


def _houston_markdown(bench: ForecastBench) -> list[str]:
    h = bench.houston
    result: BacktestResult = h["result"]
    names = list(result.methods)
    s0, s1 = (result.methods[n].summary() for n in names)
    c0, c1 = h["counts"]["no context"], h["counts"]["context"]
    helps_rank = s1[0].hit_rate_mean > s0[0].hit_rate_mean + 0.005
    helps_count = c1["deviance"] < c0["deviance"]
    lines = [
        "",
        "### Houston: does context help?",
        "",
        f"Houston 2010, all 7 offence types, hourly (local clock). {h['rows']:,} rows with coordinates; "
        f"{h['dropped_fallback']:,} at geocoding fallback points (one point carrying more than 20 different "
        f"addresses) and the far outliers removed, leaving {h['events']:,}. Study area: 250 m cells within 500 m "
        f"of an event before 2010-04-01 ({h['cells']:,} cells). 368 forecasts of 6-hour windows (00–06, 06–12, "
        "12–18, 18–24) from 2010-06-01 to 2010-08-31, each trained on all events before it.",
        "",
        "- *No context*: KDE of all history, σ 200 m, 60-day exponential decay; its count forecast is the "
        "recent average rate.",
        "- *Context*: the same KDE blended with a profile KDE of only the past events in the window's 6-hour "
        "block and day type (weekday/weekend), weight α; the count comes from a Poisson regression on weekday, "
        "6-hour block, paydays (the 15th, last working day) and US federal holidays, fitted on past windows. "
        f"α chosen from {', '.join(f'{a:g}' for a in PROFILE_WEIGHTS)} on April–May 2010 (before the test "
        "period): " + ", ".join(f"α {k}: {v:.3f}" for k, v in h["tuning"].items()) + f"; chosen α = {h['chosen']}.",
        "",
        "| model | hit rate 5% (mean) | pooled | PAI 5% | hit rate 10% (mean) | pooled | count MAE per window | "
        "count Poisson deviance |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| {names[0]} | {s0[0].hit_rate_mean:.3f} | {s0[0].hit_rate_pooled:.3f} | {s0[0].pai_mean:.2f} | "
        f"{s0[1].hit_rate_mean:.3f} | {s0[1].hit_rate_pooled:.3f} | {c0['mae']:.1f} | {c0['deviance']:.2f} |",
        f"| {names[1]} | {s1[0].hit_rate_mean:.3f} | {s1[0].hit_rate_pooled:.3f} | {s1[0].pai_mean:.2f} | "
        f"{s1[1].hit_rate_mean:.3f} | {s1[1].hit_rate_pooled:.3f} | {c1['mae']:.1f} | {c1['deviance']:.2f} |",
        "",
        f"Where: context {'helps' if helps_rank else 'does **not** help'} the ranking "
        f"({s1[0].hit_rate_mean - s0[0].hit_rate_mean:+.3f} at 5 %). How many: the calendar terms "
        f"{'do' if helps_count else 'do **not**'} improve the count forecast (MAE {c0['mae']:.1f} → {c1['mae']:.1f} "
        f"events per 6-hour window, deviance {c0['deviance']:.2f} → {c1['deviance']:.2f}); the baseline count is one "
        "rate for every hour of the day, so most of that gain is the time-of-day term. Per-window results: "
        "`var/bench/forecast/houston.json`. No real public-event, nightlife or weather files were available for "
        "these cities, so those covariates are tested only on synthetic data (tests), not measured here.",
    ]
    return lines
