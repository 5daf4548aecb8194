"""OCDS import throughput: icsatlas's import (stream, validate, store, compile with
ocdsmerge, derive contracts and parties) against ocdskit's merge of the same releases
(compile only, in memory), measured in the same run.

    python bench/contracts_ocds.py --processes 2000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ocdskit.combine import merge

from icsatlas.contracts import parties
from icsatlas.contracts.ocds import load, schema
from icsatlas.store import connect

FIXTURE = (
    Path(__file__).parents[1] / "tests" / "contracts" / "fixtures" / "nhs_release_package.json"
)


def releases(processes: int) -> list[dict]:
    """The fixture's four releases of one process, repeated under new ocids."""
    template = [
        r for r in json.loads(FIXTURE.read_text())["releases"] if r["ocid"] == "ocds-h6vhtk-0a1b2c"
    ]
    out = []
    for n in range(processes):
        ocid = f"ocds-h6vhtk-{n:06x}"
        for release in template:
            text = json.dumps(release).replace("ocds-h6vhtk-0a1b2c", ocid)
            out.append(json.loads(text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2000)
    args = parser.parse_args()
    items = releases(args.processes)
    parties.baseline_register()  # built once, outside the timings
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "releases.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in items))
        store = connect(f"duckdb:///{folder}/bench.duckdb")
        start = time.perf_counter()
        done = load.import_file(store, path)
        ours = time.perf_counter() - start
        package = {"version": "1.1", "releases": items}
        start = time.perf_counter()
        compiled = list(merge([package], schema=schema.release_schema()))
        theirs = time.perf_counter() - start
        store.close()
    print(f"OCDS import, {len(items):,} releases of {args.processes:,} processes")
    print(
        f"icsatlas import (validate, store, compile, link) {ours:7.2f} s"
        f"  {len(items) / ours:9,.0f} releases/s  ({done.contracts:,} contracts)"
    )
    print(
        f"ocdskit merge (compile only, in memory)          {theirs:7.2f} s"
        f"  {len(items) / theirs:9,.0f} releases/s  ({len(compiled):,} records)"
    )
    print(f"ratio (icsatlas / ocdskit)                        {ours / theirs:7.2f}")


if __name__ == "__main__":
    main()
