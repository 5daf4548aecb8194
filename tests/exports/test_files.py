"""The one rule for output files (issue 12, defect 11): never over an existing file unless
forced, never into a folder that is not there, never a folder as the file, whole or not at
all, and no temporary file left behind."""

from __future__ import annotations

import pytest

from icsatlas.errors import InputError
from icsatlas.exports.files import (
    Output,
    check_targets,
    output_folder,
    write_atomic,
    write_outputs,
)


def test_an_existing_file_is_refused_unless_forced(tmp_path):
    path = tmp_path / "out.csv"
    path.write_bytes(b"mine")
    with pytest.raises(InputError, match=r"^--export: .*out\.csv: already exists \(add --force"):
        write_atomic(path, b"new", option="--export")
    assert path.read_bytes() == b"mine"
    write_atomic(path, b"new", force=True)
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_dangling_link_counts_as_an_existing_file(tmp_path):
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(InputError, match="already exists"):
        write_atomic(link, b"new")
    assert not (tmp_path / "elsewhere.csv").exists()


def test_a_missing_folder_is_refused_and_not_made(tmp_path):
    with pytest.raises(InputError, match=r"^--chart: .*nowhere: no such folder"):
        write_atomic(tmp_path / "nowhere" / "c.png", b"x", option="--chart")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_refused_as_the_file_even_when_forced(tmp_path):
    with pytest.raises(InputError, match="is a folder; give a file name"):
        write_atomic(tmp_path, b"x", force=True)


def test_a_failed_write_leaves_no_temporary_and_the_old_file_whole(tmp_path):
    path = tmp_path / "out.json"
    path.write_bytes(b"mine")
    with pytest.raises(TypeError):  # str, not bytes: fails after the temporary is made
        write_atomic(path, "not bytes", force=True)  # type: ignore[arg-type]
    assert path.read_bytes() == b"mine"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_files_that_belong_together_are_all_checked_before_any_is_written(tmp_path):
    (tmp_path / "b.csv").write_bytes(b"mine")
    files = [Output(tmp_path / "a.csv", b"a"), Output(tmp_path / "b.csv", b"b", "--tornado")]
    with pytest.raises(InputError, match=r"^--tornado: .*b\.csv: already exists"):
        write_outputs(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.csv"]  # a.csv not written


def test_one_file_named_twice_is_refused(tmp_path):
    files = [Output(tmp_path / "x.png", b"1", "--chart"), Output(tmp_path / "x.png", b"2")]
    with pytest.raises(InputError, match="named twice"):
        write_outputs(files)
    assert list(tmp_path.iterdir()) == []


def test_an_output_folder_is_made_one_level_only_and_never_over_a_file(tmp_path):
    assert output_folder(tmp_path / "charts").is_dir()
    with pytest.raises(InputError, match="no such folder"):
        output_folder(tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists()
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(InputError, match="is a file, not a folder"):
        output_folder(tmp_path / "file", "--charts")


def test_a_set_of_files_names_every_one_that_exists(tmp_path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_bytes(b"")
    paths = [tmp_path / n for n in ("a.md", "b.md", "c.md")]
    with pytest.raises(InputError, match=r"a\.md, .*b\.md: already exist \(add --force"):
        check_targets(paths)
    check_targets(paths, force=True)
