"""A Result as the JSON document every interface gives: ``title``, ``data``, ``provenance``
(with release, date, sources and licence) and ``notes`` (and ``sections`` where it has them)."""

from __future__ import annotations

import orjson

from icsatlas.exports.meta import About
from icsatlas.results import Result

MEDIA_TYPE = "application/json"


def to_json(result: Result, about: About) -> bytes:
    document = result.to_dict()
    document["provenance"] = about.to_dict()
    if about.release:
        document["release"] = about.release
    return orjson.dumps(document)
