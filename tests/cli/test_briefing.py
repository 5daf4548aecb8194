"""`icsatlas briefing`: the wiring, formats, refusing to overwrite, exit codes."""

from __future__ import annotations

ON = "2026-06-01"


def test_markdown_is_printed(cli):
    code, output = cli("briefing", "QWO", "--on", ON)
    assert code == 0, output
    assert output.startswith("# Briefing: NHS West Yorkshire Integrated Care Board")
    assert "## Questions to ask" in output


def test_pdf_needs_a_file(cli):
    code, output = cli("briefing", "QWO", "--on", ON, "--format", "pdf")
    assert code == 2
    assert "needs --out" in output


def test_writes_the_format_of_the_suffix_and_refuses_to_overwrite(cli, tmp_path):
    out = tmp_path / "qwo.pdf"
    code, output = cli("briefing", "QWO", "--on", ON, "--out", str(out))
    assert code == 0, output
    assert out.read_bytes().startswith(b"%PDF-")
    code, output = cli("briefing", "QWO", "--on", ON, "--out", str(out))
    assert code == 2
    assert "--force" in output
    code, output = cli("briefing", "QWO", "--on", ON, "--out", str(out), "--force")
    assert code == 0, output


def test_an_unknown_area_is_a_user_error(cli):
    code, output = cli("briefing", "Nowhereshire", "--on", ON)
    assert code == 2
    assert "Nowhereshire" in output


def test_all_needs_a_folder(cli):
    code, output = cli("briefing", "--all", "--type", "icb")
    assert code == 2
    assert "--out DIR" in output


def test_an_unknown_type_is_a_user_error(cli, tmp_path):
    code, output = cli("briefing", "--all", "--type", "parish", "--out", str(tmp_path / "b"))
    assert code == 2
    assert "icb, council" in output


def test_motion_prints_a_sourced_motion(cli):
    code, output = cli("motion", "Surrey County Council", "--on", ON, "--template", "council")
    assert code == 0, output
    assert output.startswith("# Motion: accountable integrated care in Surrey")
    assert "\nSources\n" in output


def test_motion_reports_an_unknown_template(cli):
    code, output = cli("motion", "QWO", "--template", "no-such-template")
    assert code == 2
    assert "council, letter, scrutiny" in output


def test_motion_shows_a_template_to_copy(cli):
    code, output = cli("motion", "--template", "letter", "--show-template")
    assert code == 0, output
    assert "{{ money.allocation }}" in output
