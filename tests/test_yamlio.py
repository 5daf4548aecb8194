"""YAML inputs (reforms, parameters, scenarios) cannot exhaust memory or the stack
(issue 12, defect 1: a 695-byte file with nested aliases grew to 13.8 GB)."""

import tracemalloc

import pytest

from icsatlas import yamlio
from icsatlas.errors import InputError

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def test_alias_bomb_is_refused_quickly_and_small():
    assert len(BILLION_LAUGHS) < 700
    tracemalloc.start()
    with pytest.raises(InputError, match="more than 200,000 values once aliases are expanded"):
        yamlio.load("bomb.yaml", BILLION_LAUGHS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 200_000_000


def test_a_few_aliases_still_work():
    located = yamlio.load("ok.yaml", "base: &b {x: 1}\none: *b\ntwo: *b\n")
    assert located.data == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


def test_deep_nesting_is_refused():
    with pytest.raises(InputError, match="deep"):
        yamlio.load("deep.yaml", "[" * 5000 + "]" * 5000)


def test_non_utf8_file_is_refused_naming_the_file(tmp_path):
    file = tmp_path / "latin.yaml"
    file.write_bytes("name: Southend-on-Sea \xa3\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.yaml: not UTF-8"):
        yamlio.load(file)


def test_utf16_with_a_byte_order_mark_is_read_as_every_input(tmp_path):
    """Issue 12 defect 7: YAML is decoded by the one rule of icsatlas.inputs.text."""
    file = tmp_path / "utf16.yaml"
    file.write_bytes("name: Southend-on-Sea £\n".encode("utf-16"))
    assert yamlio.load(file).data == {"name": "Southend-on-Sea £"}


@pytest.mark.parametrize(
    "text",
    [
        "evil: !!python/object/apply:os.system ['true']\n",
        "evil: !!python/object/a\n",
        "evil: !!python/name:os.system\n",
        "evil: !!set {a, b}\n",
    ],
)
def test_python_and_other_tags_are_refused_with_the_line_not_a_traceback(text):
    """Issue 12 (fuzzing): a truncated ``!!python/object`` tag raised yaml's
    ConstructorError; a tag on a list was silently dropped."""
    with pytest.raises(InputError, match=r"^evil\.yaml:1: evil: a YAML tag that is not allowed"):
        yamlio.load("evil.yaml", text)
