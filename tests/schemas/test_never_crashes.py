"""Property: whatever YAML mapping a user writes, reading it as a reform, a parameter file,
parameter overrides, a scenario or an uncertain input either succeeds or raises InputError(s)
naming file, line and field - never another exception (issue 9, section 3)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icsatlas import parameters, schemas, yamlio
from icsatlas.errors import InputError, InputErrors
from icsatlas.finance import scenario, uncertainty
from icsatlas.parameters import ParameterSet
from icsatlas.register import reforms

PARAMS = ParameterSet.shipped()
FOLDER = Path(tempfile.mkdtemp(prefix="icsatlas-schemas-"))


def _words(node: object) -> set[str]:
    """Every key and short word in the schemas: field names, kinds, enumerated values."""
    if isinstance(node, dict):
        return {str(k) for k in node} | {w for v in node.values() for w in _words(v)}
    if isinstance(node, list):
        return {w for v in node for w in _words(v)}
    return {node} if isinstance(node, str) and len(node) < 40 and " " not in node else set()


WORDS = sorted(set().union(*(_words(schemas.load(n)) for n in schemas.NAMES)))
NUMBERS = st.integers(-(10**6), 10**6) | st.floats(allow_nan=True, allow_infinity=True)
DATES = st.dates(date(1990, 1, 1), date(2040, 12, 31))
SCALARS = (
    st.none()
    | st.booleans()
    | NUMBERS
    | DATES
    | st.sampled_from(WORDS)
    | st.text(max_size=12)
    | st.sampled_from(["2026-02-30", "2025/26", "2025/27", "Y62", "icp:QWO", "all"])
)
KEYS = st.sampled_from(WORDS) | st.text(max_size=8) | st.integers(0, 3) | DATES
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)
MAPPINGS = st.dictionaries(KEYS, VALUES, max_size=8)

KINDS = list(schemas.load("reform")["$defs"]["operation"]["properties"])
REFORMS = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["wave-2027", "Wave 2027", ""]),
        "title": SCALARS,
        "source": st.sampled_from(["https://example.org", "press"]),
        "operations": st.lists(
            st.dictionaries(st.sampled_from(KINDS), MAPPINGS, min_size=1, max_size=2), max_size=4
        ),
    },
    optional={
        "effective": DATES | SCALARS,
        "sources": st.dictionaries(st.sampled_from(["press", "web"]), SCALARS, max_size=2),
        "certainty": SCALARS,
    },
)
DISTRIBUTIONS = NUMBERS | st.fixed_dictionaries(
    {"distribution": st.sampled_from(["fixed", "uniform", "triangular", "choice", "normal"])},
    optional={
        **{key: NUMBERS for key in ("value", "low", "mode", "high")},
        "options": st.dictionaries(st.sampled_from([*scenario.PHASINGS, "slow"]), NUMBERS),
        "central": SCALARS,
    },
)
SCENARIOS = st.fixed_dictionaries(
    {},
    optional={
        "inputs": st.dictionaries(st.sampled_from([*scenario.INPUTS, "rehire"]), DISTRIBUTIONS),
        **{key: NUMBERS | SCALARS for key in ("seed", "draws", "years", "first_year")},
        "geography": SCALARS,
        "name": SCALARS,
    },
)
OVERRIDES = st.dictionaries(
    st.sampled_from([*PARAMS.names(), "finance.nothing"]) | KEYS,
    VALUES | st.dictionaries(DATES, VALUES, min_size=1, max_size=2),
    max_size=3,
)
PARAMETERS = st.fixed_dictionaries(
    {
        "label": SCALARS,
        "unit": SCALARS,
        "values": st.dictionaries(DATES | KEYS, VALUES, max_size=3),
        "reference": st.lists(
            st.fixed_dictionaries({"title": SCALARS}, optional={"href": SCALARS}), max_size=2
        ),
    },
    optional={"certainty": SCALARS, "description": SCALARS},
)
CHECKS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def written(data: object, name: str) -> Path:
    path = FOLDER / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def reads_or_refuses(read, data: object, name: str) -> None:
    try:
        read(written(data, name))
    except (InputError, InputErrors) as error:
        assert name in str(error)


@CHECKS
@given(MAPPINGS | REFORMS)
def test_a_reform_file(data):
    reads_or_refuses(lambda p: reforms.parse(yamlio.load(p), {"gp-it", "eprr"}), data, "r.yaml")


@CHECKS
@given(MAPPINGS | PARAMETERS)
def test_a_parameter_file(data):
    reads_or_refuses(lambda p: parameters.parse(yamlio.load(p), "x"), data, "p.yaml")


@CHECKS
@given(MAPPINGS | OVERRIDES)
def test_a_parameter_overrides_file(data):
    reads_or_refuses(PARAMS.override, data, "o.yaml")


@CHECKS
@given(MAPPINGS | SCENARIOS)
def test_a_scenario_file(data):
    reads_or_refuses(lambda p: scenario.load(p, PARAMS), data, "s.yaml")


@CHECKS
@given(VALUES | DISTRIBUTIONS)
def test_an_uncertain_input(data):
    reads_or_refuses(lambda p: uncertainty.parse(yamlio.load(p), ()), data, "u.yaml")
