"""The NHS.UK design system in the portal: the Jinja environment for its pages and the
addresses of its static files.

Templates are looked up in ``web/templates`` first, then in nhsuk-frontend-jinja (the design
system's own macros, e.g. ``nhsuk/components/tables/macro.jinja``). Those macros take
Nunjucks-style parameter dictionaries and rely on ``ChainableUndefined`` for missing keys.
Block tags swallow their own line's whitespace (``trim_blocks``, ``lstrip_blocks``): the
design system's macros then render less than half the bytes, with the same text and markup.
Control characters in what a page shows (a NUL byte someone put in an address) are left
out, as the command line ignores them.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup

from icsatlas.web import tables

STATIC_DIR = Path(__file__).parent / "static"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def environment(static_prefix: str = "/static") -> Environment:
    """The Jinja environment for the portal's templates; static files served under
    ``static_prefix``."""
    env = Environment(
        loader=ChoiceLoader(
            [PackageLoader("icsatlas.web", "templates"), PackageLoader("nhsuk_frontend_jinja")]
        ),
        undefined=ChainableUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=printable,
    )
    env.globals["static_url"] = lambda name: f"{static_prefix}/{name}?v={static_version(name)}"
    env.globals["render_data_table"] = tables.data_table
    env.globals["render_download_links"] = tables.download_links
    return env


def printable(value: Any) -> Any:
    """Text as a page shows it: without control characters (markup is the code's own)."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("", value)
    return value


@cache
def static_version(name: str) -> str:
    """A digest of a static file's content, so its address changes whenever it does and the
    file itself can be cached for ever."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
