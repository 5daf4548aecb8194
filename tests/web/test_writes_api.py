"""Every write route checks the scope server-side (issue 12): an editor of QWO writes to QWO
and is refused on S9B9J, whether the address or a row names it; refused writes leave the
store (row counts, audit log head, population folders) as it was; bad rows are listed as
the command line lists them. On DuckDB and on PostgreSQL."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import icsatlas
from icsatlas import store as store_module
from icsatlas.web import state
from icsatlas.web.app import create_app
from tests.web.auth_helpers import add_account, copy_home, log, snapshot
from tests.web.conftest import ENGINES, InProcess

PROBLEM = "application/problem+json"
CSV = "text/csv"
JSON = "application/json"
NDJSON = "application/x-ndjson"
YAML = "application/yaml"
EDITOR_SCOPES = ["board:QWO", "contracts:QWO", "finance:QWO", "population:QWO"]
# buyers: the ICB itself, by its ODS code (register: organisations)
REGISTER = "contract_id,title,buyer_name,buyer_code,value,start_date,end_date"
QWO_BUYER = "NHS West Yorkshire ICB,QWO"
S9B9J_BUYER = "NHS Surrey and Sussex ICB,S9B9J"
PSR = "reference,authority,process,decision_date"
BCF = "area_code,financial_year,funding_stream,amount_gbp"
LEEDS, SURREY = "E08000035", "E10000030"  # councils in QWO, and in Surrey Heartlands (QXU)
QWO_PRACTICE, S9B9J_PRACTICE = "B82007", "G81001"  # practice_lookup on 2026-08-01


@dataclass
class Site:
    client: InProcess
    url: str
    home: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def post(self, path: str, body: bytes | str, media: str, who: str | None, **params):
        headers = {"content-type": media}
        if who:
            headers["authorization"] = f"Bearer {self.tokens[who]}"
        content = body.encode() if isinstance(body, str) else body
        return self.client.request(
            "POST", f"/api/v1{path}", content=content, headers=headers, params=params
        )

    def snapshot(self) -> dict[str, object]:
        return snapshot(self.url, self.home)


@pytest.fixture(scope="module", params=ENGINES)
def site(request, web_home: Path, web_url: str, tmp_path_factory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp(f"writes-{request.param}")
    if request.param == "duckdb":
        home = copy_home(web_home, folder)
        url = f"duckdb:///{home / 'icsatlas.duckdb'}"
        yield from _site(url, home)
    else:
        base = request.getfixturevalue("postgres_url")
        schema = f"writes_{uuid.uuid4().hex[:10]}"
        store_module.connect(base, schema=schema).close()
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
        try:
            yield from _site(url, folder)
        finally:
            state.close()
            with store_module.connect(base, upgrade=False) as admin:
                admin.execute(f"DROP SCHEMA {schema} CASCADE")
    state.configure(web_url, web_home)  # the other web tests' workspace again


def _site(url: str, home: Path) -> Iterator[Site]:
    with icsatlas.open(url, home=home) as ws:
        assert ws.data.organisation("QWO")  # built, if the store is new
    tokens = {
        "editor": add_account(url, home, "amira", "editor", EDITOR_SCOPES),
        "reformer": add_account(url, home, "rhea", "editor", ["reforms:*"]),
        "admin": add_account(url, home, "root", "admin", []),
    }
    yield Site(InProcess(create_app(url, home)), url, home, tokens)


def register_csv(*rows: str) -> str:
    return "\n".join([REGISTER, *rows]) + "\n"


def contract(contract_id: str, buyer: str = QWO_BUYER, value: str = "1000") -> str:
    return f"{contract_id},Community beds,{buyer},{value},2026-04-01,2027-03-31"


def release(ocid: str, buyer: str) -> str:
    """One OCDS award release with a contract (the shape of tests/contracts/fixtures)."""
    party = {"id": f"GB-NHS-{buyer}", "name": f"ICB {buyer}"}
    body = {
        "ocid": ocid,
        "id": f"{ocid}-award",
        "date": "2026-04-01T09:00:00Z",
        "tag": ["award"],
        "initiationType": "tender",
        "parties": [{**party, "identifier": {"scheme": "GB-NHS", "id": buyer}, "roles": ["buyer"]}],
        "buyer": party,
        "awards": [
            {
                "id": f"{ocid}-1",
                "status": "active",
                "value": {"amount": 5000, "currency": "GBP"},
                "contractPeriod": {"startDate": "2026-06-01T00:00:00Z"},
            }
        ],
        "contracts": [{"id": f"{ocid}-c", "awardID": f"{ocid}-1", "status": "active"}],
    }
    return json.dumps(body)


def psr(*rows: str) -> str:
    """A decision log; a row without a date decided on 1 February 2026."""
    return "\n".join([PSR, *(r if r.count(",") == 3 else f"{r},2026-02-01" for r in rows)]) + "\n"


def population_csv(web_home: Path, *practices: str) -> str:
    """Rows of the small synthetic population, each moved to a practice in turn."""
    files = sorted((web_home / "population" / "small").rglob("*.parquet"))
    frame = pq.read_table(files[0]).to_pandas().drop(columns=["sub_icb_code"])
    frame = frame.head(len(practices)).assign(practice_code=list(practices))
    return frame.to_csv(index=False)


def assert_refused(response, status: int, says: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert says in response.json()["detail"], response.json()["detail"]


def assert_written(site: Site, response, route: str, actor: str = "amira") -> None:
    assert response.status_code == 201, response.text
    entry = log(site.url, site.home)[-1]
    assert (entry.change_id, entry.actor) == (response.json()["change"], actor)
    assert entry.source.startswith(f"POST /api/v1{route} by {actor}"), entry.source


# -- contracts: register CSV, OCDS, PSR, KPI, removals ---------------------------------------------
def test_an_editor_of_qwo_imports_qwos_contracts_and_not_s9b9js(site):
    # an administrator records a contract of S9B9J first, which QWO's editor may not touch
    stored = site.post(
        "/areas/S9B9J/contracts", register_csv(contract("S-1", S9B9J_BUYER)), CSV, "admin"
    )
    assert stored.status_code == 201, stored.text
    ok = site.post(
        "/areas/QWO/contracts", register_csv(contract("W-1"), contract("W-2")), CSV, "editor"
    )
    assert_written(site, ok, "/areas/QWO/contracts")
    assert ok.json()["count"] == 2

    before = site.snapshot()
    by_url = site.post(
        "/areas/S9B9J/contracts", register_csv(contract("W-3", S9B9J_BUYER)), CSV, "editor"
    )
    assert_refused(by_url, 403, "amira may not change contracts of S9B9J")
    by_row = site.post(
        "/areas/QWO/contracts",
        register_csv(contract("W-4"), contract("W-5", S9B9J_BUYER)),
        CSV,
        "editor",
    )
    assert_refused(by_row, 403, "row 3: amira may not change contracts of S9B9J")
    by_key = site.post("/areas/QWO/contracts", register_csv(contract("S-1")), CSV, "editor")
    assert_refused(
        by_key, 403, "the stored contract csv:S-1: amira may not change contracts of S9B9J"
    )
    assert site.snapshot() == before


def test_an_administrator_gets_every_row_for_another_area_listed(site):
    before = site.snapshot()
    body = register_csv(contract("A-1", S9B9J_BUYER), contract("A-2"), contract("A-3", S9B9J_BUYER))
    response = site.post("/areas/QWO/contracts", body, CSV, "admin")
    assert response.status_code == 422, response.text
    assert [(p["row"], p["field"]) for p in response.json()["invalid"]] == [
        (2, "buyer_name"),
        (4, "buyer_name"),
    ]
    assert "is in S9B9J, not QWO this request changes" in response.json()["invalid"][0]["message"]
    assert site.snapshot() == before


def test_bad_contract_rows_are_the_command_lines_errors_each_listed(site):
    before = site.snapshot()
    bad = register_csv(
        contract("B-1", value="lots"), "B-2,,NHS West Yorkshire ICB,QWO,5,2026-04-01,2025-01-01"
    )
    response = site.post("/areas/QWO/contracts", bad, CSV, "editor")
    assert response.status_code == 422, response.text
    assert {(p["row"], p["field"]) for p in response.json()["invalid"]} == {
        (2, "value"),
        (3, "title"),
        (3, "end_date"),
    }
    assert all(e.startswith("request body:") for e in response.json()["errors"])
    assert site.snapshot() == before


def test_ocds_releases_are_placed_by_their_buyer(site):
    ok = site.post(
        "/areas/QWO/contracts", release("ocds-test-qwo1", "QWO") + "\n", NDJSON, "editor"
    )
    assert_written(site, ok, "/areas/QWO/contracts")
    before = site.snapshot()
    other = release("ocds-test-s9b1", "S9B9J")
    both = f"{release('ocds-test-qwo2', 'QWO')}\n{other}\n"
    assert_refused(
        site.post("/areas/QWO/contracts", both, NDJSON, "editor"),
        403,
        "ocds-test-s9b1: amira may not change contracts of S9B9J",
    )
    assert_refused(site.post("/areas/S9B9J/contracts", other, JSON, "editor"), 403, "S9B9J")
    assert site.snapshot() == before


def test_psr_decisions_are_placed_by_their_authority(site):
    good = f"{PSR}\nPSR-W1,NHS West Yorkshire ICB,direct-award-c,2026-02-01\n"
    assert_written(
        site, site.post("/areas/QWO/contracts/psr", good, CSV, "editor"), "/areas/QWO/contracts/psr"
    )
    before = site.snapshot()
    elsewhere = psr("PSR-W2,NHS West Yorkshire ICB,a", "PSR-S1,NHS Surrey and Sussex ICB,a")
    assert_refused(
        site.post("/areas/QWO/contracts/psr", elsewhere, CSV, "editor"),
        403,
        "row 3: amira may not change contracts of S9B9J",
    )
    assert_refused(site.post("/areas/S9B9J/contracts/psr", good, CSV, "editor"), 403, "S9B9J")
    bad = psr("PSR-W3,NHS West Yorkshire ICB,bribery", "PSR-W4,NHS West Yorkshire ICB,a,2020-01-01")
    response = site.post("/areas/QWO/contracts/psr", bad, CSV, "editor")
    assert response.status_code == 422, response.text
    assert {(p["row"], p["field"]) for p in response.json()["invalid"]} == {
        (2, "process"),
        (3, "decision_date"),
    }
    assert site.snapshot() == before


def test_a_kpi_series_is_the_addresses_and_cannot_name_another_areas_contract(site):
    points = "date,value\n2026-01-01,0.91\n2026-02-01,0.88\n"
    kpi = {"code": "wy-beds", "name": "Bed occupancy"}
    ours, theirs = register_csv(contract("K-1")), register_csv(contract("K-9", S9B9J_BUYER))
    assert site.post("/areas/QWO/contracts", ours, CSV, "editor").status_code == 201
    assert site.post("/areas/S9B9J/contracts", theirs, CSV, "admin").status_code == 201
    ok = site.post("/areas/QWO/kpi", points, CSV, "editor", **kpi, contract="csv:K-1")
    assert_written(site, ok, "/areas/QWO/kpi")
    before = site.snapshot()
    assert_refused(site.post("/areas/S9B9J/kpi", points, CSV, "editor", **kpi), 403, "S9B9J")
    assert_refused(
        site.post("/areas/QWO/kpi", points, CSV, "editor", **kpi, contract="csv:K-9"),
        403,
        "series wy-beds: amira may not change contracts of S9B9J",
    )
    series = {"code": "ss-beds", "name": "Bed occupancy"}
    assert site.post("/areas/S9B9J/kpi", points, CSV, "admin", **series).status_code == 201
    before = site.snapshot()
    assert_refused(  # the same code would replace S9B9J's stored series
        site.post("/areas/QWO/kpi", points, CSV, "editor", **series),
        403,
        "series ss-beds: amira may not change contracts of S9B9J",
    )
    bad = site.post("/areas/QWO/kpi", "date,value\n2026-13-01,x\n", CSV, "editor", **kpi)
    assert bad.status_code == 422
    assert {(p["row"], p["field"]) for p in bad.json()["invalid"]} == {(2, "date"), (2, "value")}
    assert site.snapshot() == before


def test_withdrawing_a_contract_is_a_new_change_within_the_scope(site):
    ours, theirs = register_csv(contract("R-1")), register_csv(contract("R-9", S9B9J_BUYER))
    assert site.post("/areas/QWO/contracts", ours, CSV, "editor").status_code == 201
    assert site.post("/areas/S9B9J/contracts", theirs, CSV, "admin").status_code == 201
    before = site.snapshot()
    assert_refused(
        site.post("/areas/QWO/contracts/removals", '["csv:R-9"]', JSON, "editor", reason="gone"),
        403,
        "row 1: amira may not change contracts of S9B9J",
    )
    assert site.snapshot() == before
    response = site.post(
        "/areas/QWO/contracts/removals",
        "contract_key\ncsv:R-1\n",
        CSV,
        "editor",
        reason="ended early",
    )
    assert_written(site, response, "/areas/QWO/contracts/removals")
    entry = log(site.url, site.home)[-1]
    assert entry.kind == "remove" and entry.detail["contracts"][0]["contract_key"] == "csv:R-1"
    after = site.snapshot()["counts"]
    assert after["contract"] == before["counts"]["contract"] - 1  # kept in the audit log
    assert after["contract_removal"] == before["counts"]["contract_removal"] + 1


# -- the Better Care Fund --------------------------------------------------------------------------
def test_bcf_rows_are_placed_by_their_council(site):
    good = f"{BCF}\n{LEEDS},2025/26,nhs_minimum,1000000\n"
    ok = site.post("/areas/QWO/bcf", good, CSV, "editor", description="BCF plan 2025/26, Leeds")
    assert_written(site, ok, "/areas/QWO/bcf")
    before = site.snapshot()
    outside = f"{BCF}\n{LEEDS},2024/25,nhs_minimum,1\n{SURREY},2025/26,nhs_minimum,1\n"
    assert_refused(
        site.post("/areas/QWO/bcf", outside, CSV, "editor", description="x"),
        403,
        f"row 3: amira may not change finance of {SURREY} or QXU",
    )
    assert_refused(
        site.post("/areas/S9B9J/bcf", good, CSV, "editor", description="x"), 403, "S9B9J"
    )
    assert_refused(
        site.post(f"/areas/{SURREY}/bcf", good, CSV, "editor", description="x"), 403, SURREY
    )
    bad = f"{BCF}\n{LEEDS},2025/26,nhs_minimum,inf\n{LEEDS},2025/26,lottery,5\n"
    response = site.post("/areas/QWO/bcf", bad, CSV, "editor", description="x")
    assert response.status_code == 422, response.text
    assert {(p["row"], p["field"]) for p in response.json()["invalid"]} == {
        (2, "amount_gbp"),
        (3, "funding_stream"),
    }
    assert site.snapshot() == before


# -- populations -----------------------------------------------------------------------------------
def test_a_population_extract_is_placed_by_its_practices(site, web_home):
    day = {"extract_date": "2026-08-01"}
    ok = site.post(
        "/areas/QWO/populations/wy-extract",
        population_csv(web_home, QWO_PRACTICE, QWO_PRACTICE),
        CSV,
        "editor",
        **day,
    )
    assert_written(site, ok, "/areas/QWO/populations/wy-extract")
    assert ok.json()["count"] == 2
    before = site.snapshot()
    mixed = population_csv(web_home, QWO_PRACTICE, S9B9J_PRACTICE)
    assert_refused(
        site.post("/areas/QWO/populations/wy-mixed", mixed, CSV, "editor", **day),
        403,
        "row 3: amira may not change population of S9B9J",
    )
    only_s9b9j = population_csv(web_home, S9B9J_PRACTICE)
    assert_refused(
        site.post("/areas/S9B9J/populations/ss", only_s9b9j, CSV, "editor", **day), 403, "S9B9J"
    )
    bad = population_csv(web_home, QWO_PRACTICE, "Z99999")
    response = site.post("/areas/QWO/populations/wy-bad", bad, CSV, "editor", **day)
    assert response.status_code == 422, response.text
    assert (3, "practice_code") in {(p["row"], p["field"]) for p in response.json()["invalid"]}
    assert site.snapshot() == before


# -- reforms ---------------------------------------------------------------------------------------
EPRR_WAVE = (  # as tests/cli/test_changes.py applies it
    "name: eprr-to-regions\ntitle: EPRR to regions\nsource: https://example.org\n"
    "effective: 2027-04-01\noperations:\n"
    "  - transfer: {function: eprr, from: icb, to: nhs-region}\n"
)


def test_reforms_are_national_only_reforms_star_or_an_administrator_applies_one(site):
    before = site.snapshot()
    assert_refused(
        site.post("/reforms", EPRR_WAVE, YAML, "editor"), 403, "amira may not change reforms of *"
    )
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    assert site.post("/reforms", bomb, YAML, "reformer").status_code == 422
    unknown = EPRR_WAVE.replace("function: eprr", "function: alchemy")
    response = site.post("/reforms", unknown, YAML, "reformer")
    assert response.status_code == 422, response.text
    assert "alchemy" in response.text
    assert site.snapshot() == before
    done = site.post("/reforms", EPRR_WAVE, YAML, "reformer", reason="the 2027 wave")
    assert_written(site, done, "/reforms", actor="rhea")
    assert log(site.url, site.home)[-1].kind == "reform"


# -- what every write route shares -----------------------------------------------------------------
ROUTES = [
    ("/areas/QWO/board", CSV, {}),
    ("/areas/QWO/contracts", CSV, {}),
    ("/areas/QWO/contracts/psr", CSV, {}),
    ("/areas/QWO/contracts/removals", JSON, {"reason": "x"}),
    ("/areas/QWO/kpi", CSV, {"code": "k", "name": "k"}),
    ("/areas/QWO/bcf", CSV, {"description": "x"}),
    ("/areas/QWO/populations/p", CSV, {"extract_date": "2026-08-01"}),
    ("/reforms", YAML, {}),
]


@pytest.mark.parametrize(("route", "media", "params"), ROUTES, ids=[r for r, _, _ in ROUTES])
def test_signed_out_unknown_media_and_too_large_are_refused_and_change_nothing(
    site, route, media, params
):
    before = site.snapshot()
    assert_refused(
        site.post(route, "x", media, None, **params), 401, "this change needs an account"
    )
    assert_refused(site.post(route, "x", "text/html", "admin", **params), 415, "send the body as")
    huge = b"a" * (64 * 1024 * 1024 + 1)
    assert_refused(site.post(route, huge, media, "admin", **params), 413, "larger than")
    assert site.snapshot() == before
