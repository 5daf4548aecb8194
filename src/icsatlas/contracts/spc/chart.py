"""Making Data Count charts: PNG or SVG through matplotlib (Agg, no display needed), and a
self-contained interactive HTML page (inline SVG, inline script, no CDN).

Colours are NHSRplotthedots' defaults (``ptd_spc_colours``): grey common cause, blue
improvement, orange concern, purple neutral, black mean, red target. The variation and
assurance icons are drawn as labelled discs in the top-right corner.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from icsatlas.contracts.spc.analysis import SpcResult
from icsatlas.errors import InputError
from icsatlas.exports.files import check_targets, output_folder, write_atomic

COLOURS = {
    "common_cause": "#a6a6a6",
    "special_cause_improvement": "#00b0f0",
    "special_cause_concern": "#e46c0a",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
    "line": "#a6a6a6",
    "mean": "#000000",
    "limit": "#a6a6a6",
    "target": "#de1b1b",
}
VARIATION = {
    "common_cause": ("#a6a6a6", "~", "Common cause variation"),
    "improvement_high": ("#00b0f0", "H", "Special cause improvement (higher)"),
    "improvement_low": ("#00b0f0", "L", "Special cause improvement (lower)"),
    "concern_high": ("#e46c0a", "H", "Special cause concern (higher)"),
    "concern_low": ("#e46c0a", "L", "Special cause concern (lower)"),
    "neutral_high": ("#490092", "H", "Special cause, neither improvement nor concern (higher)"),
    "neutral_low": ("#490092", "L", "Special cause, neither improvement nor concern (lower)"),
}
ASSURANCE = {
    "consistent_pass": ("#00b0f0", "P", "Consistently passes the target"),
    "consistent_fail": ("#e46c0a", "F", "Consistently fails the target"),
    "inconsistent": ("#a6a6a6", "?", "Hit and miss: the target lies within the limits"),
}


def figure(result: SpcResult, series: str | None = None, title: str = "") -> plt.Figure:
    """One series' XmR chart in the Making Data Count style."""
    points, summary = _one(result, series)
    fig, ax = plt.subplots(figsize=(10, 4.8), dpi=100)
    dates = pd.to_datetime(points.date)
    ax.plot(dates, points.value, color=COLOURS["line"], linewidth=1.5, zorder=1)
    for _, group in points.groupby("rebase_group"):
        when = pd.to_datetime(group.date)
        ax.plot(when, group["mean"], color=COLOURS["mean"], linewidth=1.2)
        for column in ("lpl", "upl"):
            ax.plot(when, group[column], color=COLOURS["limit"], linestyle="--", linewidth=1)
    target = summary.target
    if target is not None and pd.notna(target):
        ax.axhline(target, color=COLOURS["target"], linestyle=":", linewidth=1.5)
    colours = [COLOURS[t] for t in points.point_type.astype(str)]
    ax.scatter(dates, points.value, c=colours, s=36, zorder=3, gid="spc-points", edgecolors=colours)
    ax.set_title(title or str(summary.series), loc="left", fontsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#eeeeee")
    _icons(ax, summary)
    if summary.trial_limits:
        ax.text(
            0.0,
            -0.16,
            "Trial limits: fewer than the points needed to fix the limits",
            transform=ax.transAxes,
            fontsize=8,
            color="#555555",
        )
    ax.text(
        1.0, -0.16, result.rules.id, transform=ax.transAxes, fontsize=8, color="#555555", ha="right"
    )
    fig.tight_layout()
    return fig


def _one(result: SpcResult, series: str | None):
    name = series if series is not None else result.summary.series.iloc[0]
    points = result.points[result.points.series == name]
    if points.empty:
        raise KeyError(name)
    summary = result.summary[result.summary.series == name].iloc[0]
    return points.reset_index(drop=True), summary


def _icons(ax, summary) -> None:
    icons = [VARIATION[summary.variation]]
    if summary.assurance is not None:
        icons.append(ASSURANCE[summary.assurance])
    for i, (colour, letter, _label) in enumerate(reversed(icons)):
        x = 0.97 - i * 0.07
        ax.text(
            x,
            1.06,
            letter,
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=11,
            fontweight="bold",
            color="white",
            gid=f"icon-{i}",
            bbox={"boxstyle": "circle", "facecolor": colour, "edgecolor": colour},
        )


def save(
    result: SpcResult,
    path: str | Path,
    series: str | None = None,
    title: str = "",
    force: bool = False,
    option: str = "--chart",
) -> Path:
    """Write the chart as PNG, SVG or HTML, chosen by the file's extension, by the rule for
    output files (an existing file replaced only if ``force``)."""
    path = Path(path)
    return write_atomic(path, rendered(result, path, series, title), force, option)


def rendered(result: SpcResult, path: Path, series: str | None = None, title: str = "") -> bytes:
    """The chart as the bytes of a PNG, SVG or HTML file, by ``path``'s extension."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return page(result, series, title).encode("utf-8")
    if suffix not in (".png", ".svg"):
        raise InputError(
            f"charts are written as .png, .svg or .html, not {suffix or 'no suffix'}", file=path
        )
    fig = figure(result, series, title)
    buffer = io.BytesIO()
    fig.savefig(buffer, format=suffix[1:])
    plt.close(fig)
    return buffer.getvalue()


def save_each(
    result: SpcResult, folder: str | Path, series: Iterable[str], force: bool = False
) -> list[Path]:
    """Write an HTML chart per series into ``folder`` (``ae-4h/RDU`` as ``ae-4h_RDU.html``),
    made if missing; an existing chart there is refused, before any is written, unless
    ``force``."""
    folder = Path(folder)
    paths = {name: folder / f"{name.replace('/', '_')}.html" for name in series}
    output_folder(folder, "--charts")
    check_targets(paths.values(), force, "--charts")
    return [
        save(result, path, name, force=force, option="--charts") for name, path in paths.items()
    ]


def page(result: SpcResult, series: str | None = None, title: str = "") -> str:
    """A self-contained HTML page: the chart as inline SVG, a tooltip on every point and
    the data as a table (so it reads without a mouse or a screen)."""
    points, summary = _one(result, series)
    fig = figure(result, series, title)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    rows = [
        {
            "date": str(r.date),
            "value": r.value,
            "mean": r.mean,
            "lpl": r.lpl,
            "upl": r.upl,
            "type": str(r.special_cause_type),
            "point": str(r.point_type),
        }
        for r in points.itertuples()
    ]
    heading = html.escape(title or str(summary.series))
    variation = VARIATION[summary.variation][2]
    assurance = ASSURANCE[summary.assurance][2] if summary.assurance else "No target set"
    table = "\n".join(
        f"<tr><td>{r['date']}</td><td>{r['value']:.4g}</td><td>{r['mean']:.4g}</td>"
        f"<td>{r['lpl']:.4g}</td><td>{r['upl']:.4g}</td><td>{html.escape(r['type'])}</td></tr>"
        for r in rows
    )
    return _TEMPLATE.format(
        title=heading,
        svg=svg,
        data=json.dumps(rows),
        table=table,
        variation=html.escape(variation),
        assurance=html.escape(assurance),
        rules=html.escape(result.rules.label),
        rules_id=html.escape(result.rules.id),
    )


_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: Arial, Helvetica, sans-serif; margin: 1.5rem; color: #212b32; }}
#tip {{ position: absolute; display: none; background: #fff; border: 1px solid #768692;
        padding: .4rem .6rem; font-size: .85rem; pointer-events: none; }}
table {{ border-collapse: collapse; font-size: .85rem; }}
td, th {{ border-bottom: 1px solid #d8dde0; padding: .2rem .6rem; text-align: right; }}
svg {{ max-width: 100%; height: auto; }}
</style></head><body>
<h1>{title}</h1>
<p><strong>Variation:</strong> {variation}. <strong>Assurance:</strong> {assurance}.</p>
<div id="chart">{svg}</div><div id="tip" role="tooltip"></div>
<p>Rules: {rules} ({rules_id}).</p>
<details><summary>Data</summary><table><thead><tr><th>date</th><th>value</th><th>mean</th>
<th>lower limit</th><th>upper limit</th><th>special cause</th></tr></thead>
<tbody>{table}</tbody></table></details>
<script>
const rows = {data};
const tip = document.getElementById("tip");
const marks = document.querySelectorAll("#spc-points use");
marks.forEach((mark, i) => {{
  const r = rows[i]; if (!r) return;
  mark.addEventListener("mouseenter", (e) => {{
    tip.innerHTML = `<b>${{r.date}}</b><br>value ${{r.value.toPrecision(4)}}<br>` +
      `mean ${{r.mean.toPrecision(4)}}, limits ${{r.lpl.toPrecision(4)}} to ` +
      `${{r.upl.toPrecision(4)}}<br>${{r.type}}`;
    tip.style.display = "block";
    tip.style.left = (e.pageX + 12) + "px"; tip.style.top = (e.pageY + 12) + "px";
  }});
  mark.addEventListener("mouseleave", () => {{ tip.style.display = "none"; }});
}});
</script></body></html>
"""
