"""Fuzzing ``ws.contracts``'s importers (``contracts import``, ``contracts spc``) with bad
files made from valid ones: the property is in conftest.holds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given

from icsatlas.workspace import Workspace
from tests.fuzz.conftest import FUZZ, Fingerprint, holds
from tests.fuzz.mutations import csv_files, json_files, json_lines_files

FIXTURES = Path(__file__).parents[1] / "contracts" / "fixtures"

# seeds: the valid files of tests/contracts (test_register_and_outsourcing.py, test_psr.py)
REGISTER = """contract_id,title,buyer_name,buyer_code,supplier_name,supplier_identifier,\
service_category,value,start_date,end_date,procurement_route,previous_supplier,as_of,description
C-1,Pathology,NHS Frimley ICB,QNQ,Frimley Pathology Services Ltd,GB-COH-11111111,Pathology,\
"3,000,000",2024-04-01,2027-03-31,direct award c,Frimley Health NHS Foundation Trust,2024-03-01,
C-2,Talking therapies,NHS Frimley ICB,QNQ,Example Minds,GB-CHC-2222222,Mental health,900000,\
2025-06-01,2027-05-31,competitive,,,
"""
CLASSIFICATION = """identifier,party_class,owner_org_id,evidence,name
GB-COH-11111111,trust-subsidiary,RDU,Trust annual report 2023/24 note 14 (wholly owned),\
Frimley Pathology Services Ltd
GB-CHC-2222222,voluntary,,Charity Commission register,Example Minds
"""
PSR_LOG = """reference,authority,provider,service,process,contract_value,intention_notice_date,\
representations_date,representations_decision_date,award_date,award_notice_date
PSR-1,NHS Example ICB,Example Community Trust,Community nursing,Direct Award C,"4,500,000",\
2024-12-20,,,2025-01-07,
PSR-2,NHS Example ICB,Example Diagnostics Ltd,Endoscopy,MSP,1200000,2025-04-17,\
2025-04-24,2025-05-06,2025-05-08,
"""
KPI = "series,date,value\n" + "".join(
    f"a,2024-{m:02d}-01,{v}\nb,Jan-{24 + m // 12},{v / 10}\n"
    for m, v in zip(range(1, 7), [5, 6, 7, 5, 6, 4], strict=True)
)


def _import(ws: Workspace, path: Path, kind: str, **options) -> None:
    ws.contracts.import_file(path, kind, **options)


def _fuzz_csv(ws: Workspace, tmp_path: Path, seed: str, kind: str, **options) -> None:
    path = tmp_path / f"{kind}.csv"
    fingerprint = Fingerprint(ws.store)

    @FUZZ
    @given(csv_files(seed))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        holds(fingerprint, path, lambda: _import(ws, path, kind, **options))

    run()


def test_register_csv(ws, tmp_path):
    _fuzz_csv(ws, tmp_path, REGISTER, "register")


def test_classification_csv(ws, tmp_path):
    _fuzz_csv(ws, tmp_path, CLASSIFICATION, "classification")


def test_psr_decision_log(ws, tmp_path):
    _fuzz_csv(ws, tmp_path, PSR_LOG, "psr")


def test_kpi_csv(ws, tmp_path):
    _fuzz_csv(ws, tmp_path, KPI, "kpi", code="waits", name="Waits", icb="QWO")


def test_spc_csv(ws, tmp_path):
    path = tmp_path / "series.csv"
    fingerprint = Fingerprint(ws.store)

    @FUZZ
    @given(csv_files(KPI))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        holds(fingerprint, path, lambda: ws.contracts.spc(path), writes=False)

    run()


def test_ocds_json(ws, tmp_path):
    path = tmp_path / "releases.json"
    fingerprint = Fingerprint(ws.store)
    seed = (FIXTURES / "nhs_release_package.json").read_text()

    @FUZZ
    @given(json_files(seed))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        holds(fingerprint, path, lambda: _import(ws, path, "ocds"))

    run()


def test_ocds_json_lines(ws, tmp_path):
    path = tmp_path / "releases.jsonl"
    fingerprint = Fingerprint(ws.store)
    seed = (FIXTURES / "nhs_releases.jsonl").read_text()

    @FUZZ
    @given(json_lines_files(seed))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        holds(fingerprint, path, lambda: _import(ws, path, "ocds"))

    run()
