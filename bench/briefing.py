"""Briefings: one ICB's PDF, and all 36 ICBs', each beside the same report laid out as plain
HTML (``results.to_html`` of every section) in the same run.

Both start from the same ``ws.report``: the "layout" rows time only what follows it (the
briefing's build + Typst, or plain HTML tables); the "end to end" rows include the report.
The workspace is built, and every ICB's report asked once, before timing (a warm portal or a
second command). Targets (issue 11): one ICB PDF <= 1 s, all 36 <= 30 s on 2 cores.

    python bench/briefing.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import icsatlas
from icsatlas import briefings
from icsatlas.briefings import batch, build
from icsatlas.briefings.release import release
from icsatlas.results import to_html

ON = "2026-06-01"
ONE = "QWO"


def plain_html(report) -> bytes:
    """The baseline: the same report's sections as plain HTML tables."""
    parts = [to_html(report.identity), *(to_html(s) for s in report.sections.values())]
    return "".join(parts).encode()


def briefing_pdf(ws, report, named: str) -> bytes:
    return briefings.render(build.document(ws, report, named), "pdf")


def median_time(task: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        ws = icsatlas.open(f"duckdb:///{Path(home) / 'atlas.duckdb'}", home=Path(home))
        named = release(ws)
        codes = [code for code, _ in batch.areas(ws, "icb", icsatlas.workspace.as_date(ON))]
        for code in codes:  # warm: every ICB's report once
            ws.report(code, ON)
        report = ws.report(ONE, ON)
        rows = [
            (
                f"one ICB ({ONE}), layout",
                median_time(lambda: briefing_pdf(ws, report, named), runs),
                median_time(lambda: plain_html(report), runs),
            ),
            (
                f"one ICB ({ONE}), end to end",
                median_time(lambda: briefing_pdf(ws, ws.report(ONE, ON), named), runs),
                median_time(lambda: plain_html(ws.report(ONE, ON)), runs),
            ),
        ]
        start = time.perf_counter()
        for code in codes:
            briefing_pdf(ws, ws.report(code, ON), named)
        pdf_all = time.perf_counter() - start
        start = time.perf_counter()
        for code in codes:
            plain_html(ws.report(code, ON))
        rows.append((f"all {len(codes)} ICBs, end to end", pdf_all, time.perf_counter() - start))
        ws.close()
    print(f"{'':34} {'briefing PDF':>13} {'plain HTML':>11} {'ratio':>7}")
    for name, pdf, html in rows:
        print(f"{name:34} {pdf:12.3f}s {html:10.3f}s {pdf / html:7.1f}")


if __name__ == "__main__":
    main()
