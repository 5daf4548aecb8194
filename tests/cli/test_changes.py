"""``icsatlas changes``: a reform applied by the command line is listed first, with its
author, and only for the function it touched."""

from __future__ import annotations

from datetime import date

from tests.cli.conftest import data_of

EPRR_WAVE = (
    "name: eprr-to-regions\ntitle: EPRR to regions\nsource: https://example.org\n"
    "effective: 2027-04-01\noperations:\n"
    "  - transfer: {function: eprr, from: icb, to: nhs-region}\n"
)


def test_a_reform_applied_is_the_newest_change_for_its_function_only(cli, tmp_path, monkeypatch):
    wave = tmp_path / "eprr.yaml"
    wave.write_text(EPRR_WAVE)
    monkeypatch.setenv("ICSATLAS_ACTOR", "test-author")
    code, output = cli("reform", "apply", str(wave), "--reason", "the 2027 wave")
    assert code == 0, output
    today = date.today().isoformat()
    code, output = cli("changes", "--since", today, "-f", "json")
    assert code == 0, output
    newest = data_of(output)[0]
    assert (newest["actor"], newest["kind"]) == ("test-author", "reform")
    assert newest["reason"].startswith("the 2027 wave")
    assert "assignment added" in newest["records"]
    code, output = cli("changes", "--since", today, "--function", "EPRR", "-f", "json")
    assert data_of(output)[0]["change"] == newest["change"]
    code, output = cli("changes", "--since", today, "--function", "GP IT", "-f", "json")
    assert newest["change"] not in {r["change"] for r in data_of(output)}


def test_an_impossible_date_is_refused(cli):
    code, output = cli("changes", "--since", "2026-02-30")
    assert code != 0
    assert "2026-02-30" in output
