"""Importing OCDS: compiled records, parties linked to the register and classified,
amendments over time; bad files fail with file and position and change nothing.

Expected values are as written in the fixtures (fixtures/README.md): the constructed
nhs_release_package.json has 6 releases of 3 ocids and 4 contracts; contract 006001-2024-1
(Direct Award C, buyer GB-NHS-QNQ, supplier GB-NHS-RDU) is amended from £4.5m to £5.1m and
its end moved from 2027-05-31 to 2028-05-31; the supplier classes follow the party
identifiers' schemes (GB-NHS, GB-COH, GB-CHC), and a trust's ICB is its ODS parent (NHS
England etr file: RDU, Frimley Health NHS Foundation Trust, in QNQ)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from icsatlas.contracts.ocds import load
from icsatlas.errors import InputError, InputErrors

FIXTURES = Path(__file__).parent / "fixtures"
PACKAGE = FIXTURES / "nhs_release_package.json"


def _contracts(store) -> dict[str, dict]:
    rows = store.fetch_dicts("SELECT * FROM contract ORDER BY contract_key")
    return {r["contract_key"]: r for r in rows}


def test_a_release_package_compiles_records_and_links_parties(store):
    imported = load.import_file(store, PACKAGE)
    assert (imported.releases, imported.records, imported.contracts) == (6, 3, 4)
    contracts = _contracts(store)
    msk = contracts["ocds-h6vhtk-0a1b2c/006001-2024-1"]
    assert msk["buyer_org_id"] == "QNQ" and msk["buyer_class"] == "nhs-body"
    assert msk["icb_ods_code"] == "QNQ"
    assert msk["supplier_org_id"] == "RDU" and msk["supplier_class"] == "nhs-body"
    assert msk["value_amount"] == 5_100_000  # the compiled (latest) value
    assert str(msk["end_date"])[:10] == "2028-05-31"
    assert msk["procurement_route"] == "direct-award-c"
    assert msk["service_category"] == "CPV 85100000 Health services"
    cdc = contracts["ocds-h6vhtk-0d4e5f/007777-2024-1"]
    assert cdc["supplier_class"] == "independent-sector"
    assert "not listed as a trust subsidiary" in cdc["supplier_class_basis"]
    assert cdc["procurement_route"] == "competitive"
    hospice = contracts["ocds-h6vhtk-0f0f0f/008888-2025-2"]
    assert hospice["supplier_class"] == "voluntary-sector"
    assert hospice["icb_ods_code"] == "QNQ"  # a trust buyer belongs to its ICB (ODS etr)


def test_amendments_record_each_change_of_value_or_end_date(store):
    load.import_file(store, PACKAGE)
    rows = store.fetch_dicts(
        "SELECT amendment_id, value_amount, description FROM contract_amendment"
        " WHERE contract_key = 'ocds-h6vhtk-0a1b2c/006001-2024-1' ORDER BY amendment_date"
    )
    assert [(r["amendment_id"], r["value_amount"]) for r in rows] == [
        ("006001-2024", 4_500_000),
        ("002233-2025", 5_100_000),
    ]
    assert rows[1]["description"].startswith("Extended by 12 months")


def test_the_compiled_record_is_ocdsmerge_output(store):
    load.import_file(store, PACKAGE)
    compiled = json.loads(
        store.scalar("SELECT compiled FROM ocds_record WHERE ocid = 'ocds-h6vhtk-0a1b2c'")
    )
    # ocdsmerge's CompiledRelease: tag ["compiled"], id "{ocid}-{date of the latest release}"
    assert compiled["tag"] == ["compiled"]
    assert compiled["id"] == "ocds-h6vhtk-0a1b2c-2025-04-01T10:00:00Z"
    assert {p["id"] for p in compiled["parties"]} == {"GB-NHS-QNQ", "GB-NHS-RDU"}


def test_reimporting_is_a_no_op_and_the_audit_log_records_each_import(store):
    load.import_file(store, PACKAGE)
    again = load.import_file(store, FIXTURES / "nhs_releases.jsonl")
    assert again.new_releases == 0
    assert store.scalar("SELECT count(*) FROM ocds_release") == 6
    assert store.scalar("SELECT count(*) FROM change_log WHERE kind = 'import'") == 2


def test_a_release_without_ocid_names_file_and_position_and_loads_nothing(store, tmp_path):
    package = json.loads(PACKAGE.read_text())
    del package["releases"][1]["ocid"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(package))
    with pytest.raises(InputErrors, match=r"bad\.json: releases\[1\]\.ocid: release has no ocid"):
        load.import_file(store, bad)
    assert store.scalar("SELECT count(*) FROM ocds_release") == 0
    assert store.scalar("SELECT count(*) FROM change_log") == 0


def test_json_lines_errors_name_the_line(store, tmp_path):
    lines = (FIXTURES / "nhs_releases.jsonl").read_text().splitlines()
    release = json.loads(lines[2])
    release.pop("ocid")
    lines[2] = json.dumps(release)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines))
    with pytest.raises(InputErrors, match=r"bad\.jsonl:3: line 3\.ocid: release has no ocid"):
        load.import_file(store, bad)


def test_schema_errors_name_the_field(store, tmp_path):
    package = json.loads(PACKAGE.read_text())
    package["releases"][2]["contracts"][0]["value"]["amount"] = "four million"
    package["releases"][0]["tag"] = []
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(package))
    with pytest.raises(InputErrors) as caught:
        load.import_file(store, bad)
    text = str(caught.value)
    assert "releases[2].contracts[0].value.amount: 'four million' is not of type" in text
    assert "releases[0].tag: [] should be non-empty" in text


def test_mixing_ocds_versions_is_refused(store, tmp_path):
    # two real release packages of one process, published as OCDS 1.1 and as OCDS 1.0
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(
        "\n".join(
            json.dumps(json.loads((FIXTURES / name).read_text()))
            for name in ("release-package_1.1-1.json", "release-package_1.0-1.json")
        )
    )
    with pytest.raises(InputError, match=r"mixed\.jsonl:2: line 2\.releases\[0\]: mixes OCDS"):
        load.import_file(store, mixed)
    assert store.scalar("SELECT count(*) FROM ocds_release") == 0


def test_ocds_1_0_is_refused_with_the_upgrade_command(store):
    with pytest.raises(InputError, match=r"OCDS 1\.0 is not supported.*ocdskit upgrade"):
        load.import_file(store, FIXTURES / "release-package_1.0-1.json")


def test_a_real_release_package_imports(store, tmp_path):
    imported = load.import_file(store, FIXTURES / "release-package_1.1-1.json")
    assert imported.records == 1
    party = store.fetch_dicts("SELECT * FROM contract_party WHERE name = 'MASTER SOFT SRL'")[0]
    assert party["party_class"] == "unclassified"


def test_a_record_package_imports_its_embedded_releases(store, tmp_path):
    package = json.loads(PACKAGE.read_text())
    record_package = {
        "uri": package["uri"], "publisher": package["publisher"], "version": "1.1",
        "publishedDate": package["publishedDate"],
        "records": [{"ocid": "ocds-h6vhtk-0a1b2c",
                     "releases": [r for r in package["releases"]
                                  if r["ocid"] == "ocds-h6vhtk-0a1b2c"]}],
    }  # fmt: skip
    path = tmp_path / "records.json"
    path.write_text(json.dumps(record_package))
    imported = load.import_file(store, path)
    assert (imported.releases, imported.records) == (4, 1)


def test_not_json_is_a_clean_error(store, tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("this is not JSON")
    with pytest.raises(InputError, match=r"notes\.json"):
        load.import_file(store, path)


def test_a_copy_of_the_fixture_under_another_name_is_the_same_data(store, tmp_path):
    shutil.copy(PACKAGE, tmp_path / "copy.json")
    load.import_file(store, PACKAGE)
    assert load.import_file(store, tmp_path / "copy.json").new_releases == 0


def test_a_release_id_reused_with_other_content_is_an_error(store, tmp_path):
    load.import_file(store, PACKAGE)
    package = json.loads(PACKAGE.read_text())
    package["releases"][2]["contracts"][0]["value"]["amount"] = 9_999_999
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(package))
    with pytest.raises(
        InputErrors, match=r"release 006001-2024 of ocds-h6vhtk-0a1b2c was imported"
    ):
        load.import_file(store, changed)
    assert store.scalar("SELECT count(*) FROM change_log WHERE kind = 'import'") == 1


def test_a_real_contracts_finder_award_links_the_council_and_its_17_suppliers(store):
    # Contracts Finder award notice 53216327-668e-4a7b-a645-f8855a2a5412 (11 March 2025)
    imported = load.import_file(store, FIXTURES / "contracts_finder_award_warwickshire.json")
    assert (imported.releases, imported.records, imported.contracts) == (1, 1, 1)
    row = store.fetch_dicts("SELECT * FROM contract")[0]
    assert row["buyer_class"] == "local-authority"
    # Warwickshire County Council is a partner of NHS Coventry and Warwickshire ICB (QWU)
    # (icb_partner_local_authorities_2023.csv)
    assert row["icb_ods_code"] == "QWU"
    assert row["service_category"] == "CPV 85323000 Community health services"
    assert row["procurement_route"] == "open"
    assert row["supplier_name"].count(";") == 16  # a framework with 17 suppliers
    parties = store.fetch_dicts("SELECT * FROM contract_party WHERE roles = 'supplier'")
    assert len(parties) == 17
    assert {p["party_class"] for p in parties} == {"unclassified"}  # no identifiers published


def test_a_record_without_releases_names_file_and_record(store, tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps({"version": "1.1", "records": [{"ocid": "ocds-x-1"}]}))
    with pytest.raises(InputError, match=r"records\.json: records\[0\]: record has neither"):
        load.import_file(store, path)


def test_allow_sees_each_process_by_its_buyer_and_a_refusal_keeps_nothing(store):
    seen = []

    def refuse(placings):
        seen.extend(placings)
        raise PermissionError("no")

    with pytest.raises(PermissionError):
        load.import_file(store, FIXTURES / "nhs_release_package.json", allow=refuse)
    # the fixture's buyers are NHS Frimley ICB (QNQ) and others; every process is placed
    assert {p.field for p in seen} == {"buyer"} and ("QNQ",) in {p.areas for p in seen}
    assert store.scalar("SELECT count(*) FROM ocds_release") == 0
    assert store.scalar("SELECT count(*) FROM contract") == 0


def _refused(store, path, data: bytes) -> str:
    """The message of the refusal of ``data`` written at ``path``; the store is untouched."""
    path.write_bytes(data)
    with pytest.raises((InputError, InputErrors)) as caught:
        load.import_file(store, path)
    assert store.scalar("SELECT count(*) FROM ocds_release") == 0
    return str(caught.value)


def test_impossible_dates_huge_and_non_finite_amounts_are_refused(store, tmp_path):
    """Issue 12 defect 8: 2024-02-30 was stored; an amount of 10**400 crashed with
    OverflowError; Infinity was stored as an amount."""
    lines = (FIXTURES / "nhs_releases.jsonl").read_text().splitlines()
    first = lines[0].replace('"2024-03-01T09:00:00Z"', '"2024-02-30T09:00:00Z"', 1)
    release = json.loads(lines[1])
    release["tender"]["value"] = {"amount": 10**400, "currency": "GBP"}
    second = json.dumps(release)
    third = lines[2].replace('"amount": ', '"amount": Infinity, "x": ', 1)
    text = _refused(store, tmp_path / "bad.jsonl", "\n".join([first, second, third]).encode())
    assert "bad.jsonl:1: line 1.date: '2024-02-30T09:00:00Z' is not a 'date-time'" in text
    assert "bad.jsonl:2: line 2.tender.value.amount: a number of 401 digits is not" in text
    assert "bad.jsonl:3: line 3." in text and "inf is not a finite number up to 1e+15" in text


def test_a_tag_that_is_not_a_list_is_a_schema_error_not_a_type_error(store, tmp_path):
    """Issue 12 defect 8: ``"tag": 5`` crashed with TypeError after the schema error."""
    line = (FIXTURES / "nhs_releases.jsonl").read_text().splitlines()[0]
    text = _refused(store, tmp_path / "bad.jsonl", line.replace('["tender"]', "5", 1).encode())
    assert "bad.jsonl:1: line 1.tag: 5 is not of type 'array'" in text


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_deeply_nested_json_is_refused_not_a_recursion_error(store, tmp_path, suffix):
    """Issue 12 defect 8: a deeply nested value crashed with RecursionError."""
    bomb = '{"ocid": "x", "id": "1", "tender": ' + "[" * 100_000 + "]" * 100_000 + "}"
    text = _refused(store, tmp_path / f"deep{suffix}", bomb.encode())
    assert f"deep{suffix}" in text and "nested more than 32 levels deep" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("\n".join(["{}", '{"a": "\u00a3"}']).encode("latin-1"), "not UTF-8 (byte 0xa3 on line 2"),
        (b'{"a": 1}\n'.decode().encode("utf-16-le"), "a NUL byte on line 1"),
    ],
)
def test_json_lines_in_another_encoding_are_refused_naming_the_line(store, tmp_path, data, message):
    """Issue 12 defect 7: UTF-16 or Latin-1 JSON Lines crashed with UnicodeDecodeError."""
    assert message in _refused(store, tmp_path / "x.jsonl", data)


def test_json_lines_in_utf16_with_a_byte_order_mark_are_read(store, tmp_path):
    path = tmp_path / "utf16.jsonl"
    path.write_bytes((FIXTURES / "nhs_releases.jsonl").read_text().encode("utf-16"))
    assert load.import_file(store, path).releases == 6  # as from UTF-8: fixtures/README.md
