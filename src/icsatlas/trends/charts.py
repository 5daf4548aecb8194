"""Trend charts: one line per series over time, drawn from a result's table with its source
line underneath (the finance charts' conventions: matplotlib Agg, PNG or SVG by suffix)."""

from __future__ import annotations

from matplotlib.figure import Figure

from icsatlas.finance.charts import _NHS_BLUE, _source_line
from icsatlas.names import short_name
from icsatlas.results import Result

_PALETTE = (_NHS_BLUE, "#009639", "#DA291C", "#7C2855", "#ED8B00", "#00A499", "#330072", "#768692")


def line(
    result: Result,
    x: str,
    y: str,
    series: str | None = None,
    ylabel: str = "",
    percent: bool = False,
    top: int = 10,
) -> Figure:
    """``y`` against ``x``, one line per value of ``series`` (the ``top`` largest by their last
    value are drawn; the table beside it has them all)."""
    import matplotlib.pyplot as plt

    frame = result.frame.dropna(subset=[y])
    scale = 100.0 if percent else 1.0
    figure, axes = plt.subplots(figsize=(7.5, 4.2))
    groups = [(None, frame)] if series is None else list(frame.groupby(series, sort=False))
    if len(groups) > top:
        last = sorted(groups, key=lambda g: -float(g[1][y].iloc[-1]))
        groups = last[:top]
    for colour, (name, rows) in zip(_PALETTE * 4, groups, strict=False):
        axes.plot(
            rows[x].astype(str),
            rows[y] * scale,
            marker="o" if len(rows) < 40 else None,
            markersize=3,
            color=colour,
            label=short_name(str(name)) if name is not None else None,
        )
    if series is not None:
        axes.legend(fontsize=7, frameon=False)
    ticks = axes.get_xticks()
    if len(ticks) > 12:
        axes.set_xticks(ticks[:: max(1, len(ticks) // 12)])
    axes.tick_params(axis="x", labelrotation=45, labelsize=7)
    axes.set_ylabel(ylabel + (" (%)" if percent else ""))
    axes.set_title(result.title, fontsize=10, loc="left")
    axes.grid(axis="y", alpha=0.3)
    _source_line(figure, result, below=-0.12)
    return figure


def bars(result: Result, label: str, value: str, xlabel: str = "", top: int = 20) -> Figure:
    """The ``top`` areas by ``value``, largest at the top, with England's median marked (the
    table beside it has every area)."""
    import matplotlib.pyplot as plt

    frame = result.frame.dropna(subset=[value])
    median = float(frame[value].median())
    shown = frame.nlargest(top, value).iloc[::-1]
    figure, axes = plt.subplots(figsize=(7.5, 0.28 * len(shown) + 1.4))
    axes.barh(shown[label].astype(str), shown[value], color=_NHS_BLUE)
    axes.axvline(median, color="black", linewidth=0.8, linestyle="--")
    axes.annotate(
        f"median of all {len(frame)}: {median:,.2f}",
        (median, 1.0),
        xycoords=("data", "axes fraction"),
        fontsize=7,
        xytext=(3, -10),
        textcoords="offset points",
    )
    axes.tick_params(axis="y", labelsize=7)
    axes.set_xlabel(xlabel)
    axes.set_title(result.title, fontsize=10, loc="left")
    _source_line(figure, result, below=-0.04)
    return figure
