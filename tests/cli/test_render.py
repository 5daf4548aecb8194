"""The one renderer: CSV cells that a spreadsheet would run are neutralised (issue 12,
defect 4: `contracts list -f csv` wrote `=cmd|' /C calc'!A0` as imported; OWASP CSV
injection guidance), numbers are not."""

from icsatlas.cli.render import Format, render
from icsatlas.results import Result, Table


def test_csv_neutralises_formulas_but_not_negative_numbers(capsys):
    rows = (("=cmd|' /C calc'!A0", -5), ("@SUM(A1)", 1.5), ("Leeds", None))
    render(Result(Table(("supplier", "value"), rows)), Format.csv)
    assert capsys.readouterr().out.splitlines() == [
        "supplier,value",
        "'=cmd|' /C calc'!A0,-5",
        "'@SUM(A1),1.5",
        "Leeds,",
    ]


def test_table_shows_notes_and_source(capsys):
    render(Result(Table(("a",), ((1,),)), title="T", notes=("careful",)), Format.table)
    out = capsys.readouterr().out
    assert "T" in out and "! careful" in out
