"""Fuzzing ``ws.register``'s writes (``board import``, ``reform apply``) with bad files
made from valid ones: the property is in conftest.holds."""

from __future__ import annotations

from importlib import resources

from hypothesis import given

from tests.conftest import MERGER_2027
from tests.fuzz.conftest import FUZZ, Fingerprint, holds
from tests.fuzz.mutations import csv_files, yaml_files

# seed: the shipped example board (docs/reference/board-template.md), its first rows
BOARD = "".join(
    (resources.files("icsatlas.data") / "examples" / "board_hertfordshire_west_essex.csv")
    .read_text()
    .splitlines(keepends=True)[:5]
)


def test_board_csv(ws, tmp_path):
    path = tmp_path / "board.csv"
    fingerprint = Fingerprint(ws.store)

    @FUZZ
    @given(csv_files(BOARD))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        holds(fingerprint, path, lambda: ws.register.import_board(str(path), "fuzz"))

    run()


def test_reform_yaml(ws, tmp_path):
    path = tmp_path / "reform.yaml"
    fingerprint = Fingerprint(ws.store)

    @FUZZ
    @given(yaml_files(MERGER_2027.read_text()))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        holds(fingerprint, path, lambda: ws.register.apply_reform(str(path), "fuzz"))

    run()
