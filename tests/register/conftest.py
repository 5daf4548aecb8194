"""The built register, shared by the register tests (it is immutable)."""

from __future__ import annotations

import pytest

from icsatlas.register.build import baseline
from icsatlas.register.register import Register


@pytest.fixture(scope="session")
def register() -> Register:
    return baseline()
