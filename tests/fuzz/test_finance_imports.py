"""Fuzzing ``ws.finance``'s files (``finance bcf import``, ``finance shift --spend``,
``finance blueprint-bill --scenario``) with bad files made from valid ones: the property is
in conftest.holds."""

from __future__ import annotations

from functools import partial

from hypothesis import given

from tests.fuzz.conftest import FUZZ, Fingerprint, holds
from tests.fuzz.mutations import csv_files, yaml_files

# seeds: the valid files of tests/finance (test_bcf.py, test_shift.py, test_scenario.py)
BCF = (
    "area_code,financial_year,funding_stream,amount_gbp,population\n"
    "E10000016,2024/25,nhs_minimum,150000000,1600000\n"
    'E10000016,2025/26,additional_la,"10,000,000",1610000\n'
    "E08000025,2025/26,nhs_minimum,70000000,1150000\n"
)
SPEND = (
    "icb,financial_year,setting,spend_gbp\n"
    "QWO,2024/25,acute,3000000000\nQWO,2024/25,community,400000000\n"
    "QWO,2024/25,mental_health,500000000\nQWO,2024/25,primary_care_prescribing,600000000\n"
)
SCENARIO = (
    "name: Slow exits\nseed: 7\ndraws: 20\nyears: 2\ninputs:\n"
    "  rehire_share: {distribution: triangular, low: 0.2, mode: 0.3, high: 0.5}\n"
    "  phasing: {distribution: choice, options: {back-loaded: 1.0}}\n"
)


def test_bcf_csv(ws, tmp_path):
    path = tmp_path / "bcf.csv"
    fingerprint = Fingerprint(ws.store)

    @FUZZ
    @given(csv_files(BCF))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        holds(fingerprint, path, lambda: ws.finance.bcf_import(path, "BCF plan 2025/26"))

    run()


def test_shift_spend_csv(ws, tmp_path):
    path = tmp_path / "spend.csv"
    fingerprint = Fingerprint(ws.store)

    @FUZZ
    @given(csv_files(SPEND))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        holds(fingerprint, path, lambda: ws.finance.shift(spend=path, icb="QWO"), writes=False)

    run()


def test_scenario_yaml(ws, tmp_path):
    path = tmp_path / "scenario.yaml"
    fingerprint = Fingerprint(ws.store)

    @FUZZ
    @given(yaml_files(SCENARIO))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        bill = partial(ws.finance.blueprint_bill, scenario=path, draws=20, years=2)
        holds(fingerprint, path, bill, writes=False)

    run()
