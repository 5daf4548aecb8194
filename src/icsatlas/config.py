"""Where a workspace keeps its state: one data directory, one database URL."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

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
