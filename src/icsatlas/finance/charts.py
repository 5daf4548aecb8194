"""Charts as PNG or SVG (matplotlib, Agg backend): payback curve, target waterfall, tornado.

Each chart draws from a result's table and prints its source line underneath, so a chart
cut out of a report still says where its figures came from.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from icsatlas.errors import InputError
from icsatlas.exports.files import write_atomic
from icsatlas.names import short_name
from icsatlas.results import Result

SUFFIXES = (".png", ".svg")
_NHS_BLUE, _GREEN, _RED, _GREY = "#005EB8", "#009639", "#DA291C", "#768692"


def save(figure: Figure, path: str | Path, force: bool = False, option: str = "--chart") -> Path:
    """Write ``figure`` as PNG or SVG (by suffix) by the rule for output files, and close it."""
    target = Path(path)
    return write_atomic(target, rendered(figure, target), force, option)


def rendered(figure: Figure, path: str | Path) -> bytes:
    """``figure`` as the bytes of a PNG or SVG (by ``path``'s suffix), and closed."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        plt.close(figure)
        raise InputError(
            f"charts are written as {' or '.join(SUFFIXES)}, not {target.suffix or 'no suffix'}",
            file=str(target),
        )
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # SVG text stays text: searchable
        figure.savefig(
            buffer,
            format=suffix[1:],
            dpi=150,
            bbox_inches="tight",
            metadata=_metadata(target),
        )
    plt.close(figure)
    return buffer.getvalue()


def _metadata(target: Path) -> dict:
    return {"Creator": "icsatlas"} if target.suffix.lower() == ".svg" else {"Software": "icsatlas"}


def _source_line(figure: Figure, result: Result, below: float = -0.02) -> None:
    data = result.provenance.data
    parts = list(data.values())[:2]
    if result.provenance.seed is not None:
        parts.append(f"seed {result.provenance.seed}")
    if result.provenance.parameters:
        parts.append(result.provenance.parameters)
    figure.text(
        0.01,
        below,
        "Source: " + "; ".join(parts),
        fontsize=6.5,
        color=_GREY,
        ha="left",
        va="top",
        wrap=True,
    )


def payback_curve(national: Result) -> Figure:
    """Cumulative net saving by year: central case, 10th-90th percentile band, zero line."""
    frame = national.frame
    figure, axes = plt.subplots(figsize=(7.5, 4.2))
    x = np.arange(len(frame))
    millions = 1e6
    axes.fill_between(
        x,
        frame.cumulative_p10_gbp / millions,
        frame.cumulative_p90_gbp / millions,
        color=_NHS_BLUE,
        alpha=0.18,
        label="80% of draws",
    )
    axes.plot(
        x,
        frame.cumulative_net_gbp / millions,
        color=_NHS_BLUE,
        marker="o",
        label="Central case (run 0)",
    )
    axes.bar(
        x,
        -frame.redundancy_gbp / millions,
        width=0.35,
        color=_RED,
        alpha=0.6,
        label="Redundancy payments in year",
    )
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xticks(x, frame.financial_year)
    axes.set_ylabel("£ million (cumulative net saving)")
    axes.set_title(national.title, fontsize=10, loc="left")
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    axes.grid(axis="y", alpha=0.3)
    _source_line(figure, national)
    return figure


def waterfall(result: Result) -> Figure:
    """Target waterfall: start bar, need steps up or down, target, convergence, actual."""
    frame = result.frame
    figure, axes = plt.subplots(figsize=(8, 4.4))
    running = 0.0
    for i, row in enumerate(frame.itertuples(index=False)):
        value = row.gbp / 1e6
        if row.kind in ("start", "total"):
            bottom, height, colour = 0.0, value, _NHS_BLUE
            running = value
        else:
            bottom = running if value >= 0 else running + value
            height, colour = abs(value), _GREEN if value >= 0 else _RED
            running += value
        axes.bar(i, height, bottom=bottom, color=colour, width=0.6)
        axes.annotate(
            f"{value:+,.0f}" if row.kind == "change" else f"{value:,.0f}",
            (i, bottom + height),
            ha="center",
            va="bottom",
            fontsize=7,
        )
    low = min(frame.gbp[frame.kind != "change"].min() / 1e6 * 0.9, running * 0.9)
    axes.set_ylim(bottom=low)
    axes.set_xticks(range(len(frame)), frame.step, rotation=35, ha="right", fontsize=8)
    axes.set_ylabel("£ million (axis does not start at zero)")
    axes.set_title(result.title, fontsize=10, loc="left")
    axes.grid(axis="y", alpha=0.3)
    _source_line(figure, result, below=-0.22)
    return figure


def tornado(result: Result, top: int = 10) -> Figure:
    """Swing in the outcome as each input moves alone from its low to its high setting,
    around the central case's outcome (a sensitivity table's ``central_outcome_gbp``)."""
    frame = result.frame.head(top).iloc[::-1]
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(frame) + 1.4))
    base = float(result.frame.central_outcome_gbp.iloc[0])
    y = np.arange(len(frame))
    axes.barh(
        y,
        (frame.low_outcome_gbp - base) / 1e6,
        left=base / 1e6,
        color=_RED,
        alpha=0.75,
        label="lower outcome",
    )
    axes.barh(
        y,
        (frame.high_outcome_gbp - base) / 1e6,
        left=base / 1e6,
        color=_GREEN,
        alpha=0.75,
        label="higher outcome",
    )
    axes.axvline(base / 1e6, color="black", linewidth=0.8)
    axes.set_yticks(y, frame.input, fontsize=8)
    axes.set_xlabel("£ million, cumulative net saving over the horizon")
    axes.set_title(result.title, fontsize=10, loc="left")
    axes.legend(fontsize=8, frameon=False, loc="lower right")
    _source_line(figure, result)
    return figure


def convergence(result: Result, highlight: int = 6) -> Figure:
    """Distance from fair share by year for every ICB; the furthest from target labelled."""
    frame = result.frame
    figure, axes = plt.subplots(figsize=(7.5, 4.2))
    first = frame[frame.financial_year == frame.financial_year.iloc[0]]
    labelled = set(
        first.reindex(first.distance_from_fair_share.abs().sort_values().index).ods_code.tail(
            highlight
        )
    )
    for code, rows in frame.groupby("ods_code"):
        strong = code in labelled
        axes.plot(
            rows.financial_year,
            100 * rows.distance_from_fair_share,
            color=_NHS_BLUE if strong else _GREY,
            alpha=0.9 if strong else 0.3,
            linewidth=1.4 if strong else 0.8,
        )
        if strong:
            last = rows.iloc[-1]
            axes.annotate(
                short_name(last.area_name),
                (len(rows) - 1, 100 * last.distance_from_fair_share),
                fontsize=6.5,
                xytext=(3, 0),
                textcoords="offset points",
            )
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_ylabel("% above (+) or below (-) fair share")
    axes.set_title(result.title, fontsize=10, loc="left")
    _source_line(figure, result)
    return figure
