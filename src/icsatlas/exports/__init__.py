"""Downloads: a Result as CSV (with CSVW metadata), XLSX, JSON or Parquet, each carrying
where it came from, and text a spreadsheet would run neutralised.

    >>> from icsatlas import exports
    >>> about = exports.About.of(result, release="0.1.0.12.ab12cd34")
    >>> exports.encode(result, "xlsx", about)          # bytes of a workbook
    >>> exports.write(result, "parquet", "who.parquet")  # a file, written atomically

The HTTP API's ``format=`` parameter, the portal's download links and
``icsatlas export register`` all go through :func:`encode`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from icsatlas.errors import InputError
from icsatlas.exports.meta import About
from icsatlas.results import Result

FORMATS = ("csv", "xlsx", "json", "parquet")
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "parquet": "parquet"}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "csvw": "application/csvm+json",
}


def chosen(fmt: str) -> str:
    """``fmt`` if it is a download format (``csvw``: a CSV's metadata), else a clear error."""
    if fmt not in MEDIA_TYPES:
        known = ", ".join([*FORMATS, "csvw"])
        raise InputError(f"{fmt!r} is not one of {known}", field="format")
    return fmt


def encode(result: Result, fmt: str, about: About | None = None, url: str = "") -> bytes:
    """The result's bytes in ``fmt``; ``url`` names the CSV a ``csvw`` document describes."""
    about = about or About.of(result)
    match chosen(fmt):
        case "csv":
            from icsatlas.exports.csvw import to_csv

            return to_csv(result)
        case "csvw":
            from icsatlas.exports.csvw import to_metadata

            return to_metadata(result, about, url)
        case "xlsx":
            from icsatlas.exports.xlsx import to_xlsx

            return to_xlsx(result, about)
        case "parquet":
            from icsatlas.exports.parquet import to_parquet

            return to_parquet(result, about)
        case _:
            from icsatlas.exports.jsondoc import to_json

            return to_json(result, about)


def filename(stem: str, fmt: str, on: date | None = None) -> str:
    """``<stem>-<date>.<ext>`` (a CSV's metadata: ``<stem>-<date>.csv-metadata.json``)."""
    day = (on or date.today()).isoformat()
    if fmt == "csvw":
        return f"{stem}-{day}.csv-metadata.json"
    return f"{stem}-{day}.{EXTENSIONS[fmt]}"


def write(
    result: Result, fmt: str, path: str | Path, about: About | None = None, force: bool = False
) -> list[Path]:
    """Write ``result`` to ``path`` atomically (a CSV gets its CSVW sidecar beside it), both
    checked before either is written (:mod:`icsatlas.exports.files`); the paths written."""
    from icsatlas.exports.files import Output, check_target, sidecar, write_outputs

    target = Path(path)
    check_target(target, force, "--out")  # before the file is encoded
    about = about or About.of(result)
    files = [Output(target, encode(result, fmt, about))]
    if fmt == "csv":
        files.append(Output(sidecar(target), encode(result, "csvw", about, target.name)))
    return write_outputs(files, force)


__all__ = ["FORMATS", "MEDIA_TYPES", "About", "chosen", "encode", "filename", "write"]
