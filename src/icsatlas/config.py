"""Where a workspace keeps its state: one data directory, one database URL; and where its
email goes out (SMTP settings, for subscriptions)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_path

from icsatlas.errors import IcsatlasError

HOME_ENV = "ICSATLAS_HOME"
DATABASE_ENV = "ICSATLAS_DATABASE_URL"


def home() -> Path:
    """The workspace directory: ``$ICSATLAS_HOME``, else the per-user data directory."""
    configured = os.environ.get(HOME_ENV)
    path = Path(configured).expanduser() if configured else user_data_path("icsatlas")
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(folder: Path | None = None) -> str:
    """``$ICSATLAS_DATABASE_URL`` (PostgreSQL), else a DuckDB file in the workspace folder
    (``folder``, default :func:`home`)."""
    return os.environ.get(DATABASE_ENV) or f"duckdb:///{(folder or home()) / 'icsatlas.duckdb'}"


SMTP_HOST_ENV = "ICSATLAS_SMTP_HOST"
PUBLIC_URL_ENV = "ICSATLAS_PUBLIC_URL"
FORWARDED_ENV = "ICSATLAS_FORWARDED_ALLOW_IPS"  # the reverse proxies believed (web/proxies.py)
SECURITY = ("starttls", "tls", "none")


@dataclass(frozen=True)
class Smtp:
    """Where email goes out, and the site's public address for links in it. The password is
    left out of ``repr`` (it must never be printed)."""

    host: str
    port: int
    sender: str
    public_url: str
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)


def smtp() -> Smtp | None:
    """The SMTP settings from the environment, or None when there are none
    (``ICSATLAS_SMTP_HOST`` unset): ``ICSATLAS_SMTP_PORT`` (default 587),
    ``ICSATLAS_SMTP_SECURITY`` (starttls, tls or none; default starttls, tls on port 465),
    ``ICSATLAS_SMTP_USER``, ``ICSATLAS_SMTP_PASSWORD``, ``ICSATLAS_SMTP_FROM`` and
    ``ICSATLAS_PUBLIC_URL`` (both required with a host)."""
    host = os.environ.get(SMTP_HOST_ENV, "").strip()
    if not host:
        return None
    port_text = os.environ.get("ICSATLAS_SMTP_PORT", "587").strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise IcsatlasError(f"ICSATLAS_SMTP_PORT must be a port number, not {port_text!r}")
    port = int(port_text)
    security = os.environ.get("ICSATLAS_SMTP_SECURITY", "tls" if port == 465 else "starttls")
    if security not in SECURITY:
        raise IcsatlasError(f"ICSATLAS_SMTP_SECURITY must be one of {', '.join(SECURITY)}")
    sender = os.environ.get("ICSATLAS_SMTP_FROM", "").strip()
    public = public_url()
    if not sender or public is None:
        raise IcsatlasError(
            f"{SMTP_HOST_ENV} is set, so ICSATLAS_SMTP_FROM (the sender's address) and "
            f"{PUBLIC_URL_ENV} (the site's https:// address, for links in email) are needed too"
        )
    user = os.environ.get("ICSATLAS_SMTP_USER") or None
    password = os.environ.get("ICSATLAS_SMTP_PASSWORD") or None
    return Smtp(host, port, sender, public, security, user, password)


def public_url() -> str | None:
    """The site's public address (``ICSATLAS_PUBLIC_URL``, without a trailing ``/``), if
    set to an http(s) address: links in email, and every absolute link in an answer."""
    public = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    return public if public.startswith(("https://", "http://")) else None
