"""Bad files made from a good one: hypothesis strategies that mutate a valid seed file the
ways careless users and attackers do (issue 12, "Tests and measurements that keep it so").

Each strategy takes the seed's text and draws the bytes of a mutated file: first changes
to its structure (cells, rows and columns of a CSV; values and keys of JSON or YAML), then
changes to its bytes (another encoding, a truncation, bytes that are not text). The seed
itself is a possible draw, so an import that succeeds is part of the property too.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import yaml
from hypothesis import strategies as st

HUGE = 200_000  # characters: over the CSV reader's field limit (131,072) and any sane cell
DEEP = 100_000  # nesting of a JSON or YAML bomb

# What goes in a cell or value that should not: wrong types, non-finite and huge numbers,
# impossible dates, formulas, invisible and non-ASCII characters, negative ids.
BAD_TEXT = (
    "",
    " ",
    "abc",
    "inf",
    "-inf",
    "Infinity",
    "NaN",
    "nan",
    "1e400",
    "-1e400",
    "1" + "0" * 400,
    "-1",
    "0",
    "-0",
    "1,5",
    "(1,234.50)",
    "£",
    "€5",
    "$5",
    "12%",
    "None",
    "null",
    "TRUE",
    "2024-02-30",
    "0000-00-00",
    "9999-99-99",
    "2024-13-01",
    "31/02/2024",
    "01/06/26",
    "Jan-24",
    "2026-06-01 14:30",
    "yesterday",
    "=cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\u202etxt.exe",
    "١٢٣",
    "ＱＷＯ",
    "qwo",
    "\t",
    '"',
    "a\nb",
)
TEXT = st.sampled_from(BAD_TEXT) | st.text(max_size=12) | st.just("x" * HUGE)

# -- CSV ----------------------------------------------------------------------------------


def _table(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text, newline="")) if row]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def _table_change(draw: st.DrawFn, rows: list[list[str]]) -> list[list[str]]:
    """``rows`` (the header first) with one change to a cell, row or column."""
    rows = [list(r) for r in rows]
    if not any(rows):
        return [[draw(TEXT)]]
    width = max(len(r) for r in rows)
    r = draw(st.integers(0, len(rows) - 1))
    body = draw(st.integers(1, len(rows) - 1)) if len(rows) > 1 else 0
    c = draw(st.integers(0, width - 1))
    change = draw(
        st.sampled_from(
            [
                "cell",
                "cell",
                "cell",
                "blank row",
                "duplicate row",
                "drop column",
                "duplicate column",
                "rename column",
                "extra column",
                "short row",
                "long row",
                "no header",
                "only header",
                "swap rows",
            ]
        )
    )
    if change == "cell":
        target = rows[body if draw(st.booleans()) else r]
        target.extend([""] * (c + 1 - len(target)))
        target[c] = draw(TEXT)
    elif change == "blank row":
        rows[body] = [""] * len(rows[body])
    elif change == "duplicate row":
        rows.insert(body, list(rows[body]))
    elif change == "drop column":
        rows = [row[:c] + row[c + 1 :] for row in rows]
    elif change == "duplicate column":
        rows = [row + row[c : c + 1] for row in rows]
    elif change == "rename column":
        name = rows[0][c] if c < len(rows[0]) else "x"
        rows[0][c : c + 1] = [draw(TEXT | st.sampled_from([name.upper(), name[1:]]))]
    elif change == "extra column":
        rows[0].append(draw(st.text(max_size=8) | st.just("extra")))
        for row in rows[1:]:
            row.append(draw(TEXT))
    elif change == "short row":
        rows[body] = rows[body][: draw(st.integers(0, max(len(rows[body]) - 1, 0)))]
    elif change == "long row":
        rows[body] = rows[body] + [draw(TEXT) for _ in range(draw(st.integers(1, 3)))]
    elif change == "no header":
        rows = rows[1:] or [[""]]
    elif change == "only header":
        rows = rows[:1]
    else:
        rows[r], rows[body] = rows[body], rows[r]
    return rows


@st.composite
def csv_files(draw: st.DrawFn, seed: str) -> bytes:
    """A CSV file made from ``seed`` by up to three changes to its table, then maybe one
    to its bytes."""
    rows = _table(seed)
    for _ in range(draw(st.integers(0, 3))):
        rows = draw(_table_change(rows))
    return draw(_bytes_change(_csv(rows)))


# -- JSON and YAML trees ------------------------------------------------------------------

BIG_NUMBER = "__big_number__"  # placeholders replaced in the text once it is written
DEEP_ARRAY = "__deep_array__"
BAD_VALUES = st.sampled_from(
    [
        None,
        True,
        -1,
        0,
        10**30,
        1.5,
        float("inf"),
        float("-inf"),
        float("nan"),
        "",
        "2024-02-30",
        "2024-02-30T00:00:00Z",
        "0000-00-00T00:00:00Z",
        "9999-99-99",
        "not a date",
        "release",
        BIG_NUMBER,
        DEEP_ARRAY,
        [],
        {},
        ["tender"],
        {"amount": BIG_NUMBER, "currency": "GBP"},
        {"amount": "inf", "currency": "GBP"},
        {"amount": -1, "currency": "XXX"},
    ]
) | st.text(max_size=10)


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    """Every path to a value in a tree of dicts and lists."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


def _at(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def _tree_change(draw: st.DrawFn, tree: Any) -> Any:
    """``tree`` (a deep copy) with one value replaced, removed, repeated or given a key."""
    tree = json.loads(json.dumps(tree, default=str))
    path = draw(st.sampled_from(_paths(tree)))
    if not path:
        return draw(BAD_VALUES | st.lists(BAD_VALUES, max_size=2))
    parent, last = _at(tree, path[:-1]), path[-1]
    change = draw(st.sampled_from(["replace", "replace", "remove", "repeat", "add key"]))
    if change == "replace":
        parent[last] = draw(BAD_VALUES)
    elif change == "remove":
        del parent[last]
    elif change == "repeat" and isinstance(parent, list):
        parent.insert(last, json.loads(json.dumps(parent[last])))
    elif change == "add key" and isinstance(parent[last], dict):
        parent[last][draw(st.sampled_from(["id", "tag", "extra", "date", ""]))] = draw(BAD_VALUES)
    else:
        parent[last] = [parent[last], parent[last]]
    return tree


def _placeholders(text: str, quote: str = '"') -> str:
    return text.replace(f"{quote}{BIG_NUMBER}{quote}", "1" + "0" * 400).replace(
        f"{quote}{DEEP_ARRAY}{quote}", "[" * DEEP + "]" * DEEP
    )


@st.composite
def json_files(draw: st.DrawFn, seed: str) -> bytes:
    """A JSON document made from ``seed`` by up to three changes to its values."""
    tree = json.loads(seed)
    for _ in range(draw(st.integers(0, 3))):
        tree = draw(_tree_change(tree))
    return draw(_bytes_change(_placeholders(json.dumps(tree))))


@st.composite
def json_lines_files(draw: st.DrawFn, seed: str) -> bytes:
    """JSON Lines made from ``seed``: a line's values changed, lines dropped, repeated or
    replaced by text that is not JSON."""
    lines = [json.loads(line) for line in seed.splitlines() if line.strip()]
    texts = []
    for value in lines:
        for _ in range(draw(st.integers(0, 1))):
            value = draw(_tree_change(value))
        texts.append(_placeholders(json.dumps(value)))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(texts)))
        extra = st.sampled_from(["", "{", "[]", "null", "1e400", "{}", "[" * DEEP, *texts])
        texts.insert(at, draw(extra))
    if texts and draw(st.booleans()):
        del texts[draw(st.integers(0, len(texts) - 1))]
    return draw(_bytes_change("\n".join(texts) + "\n"))


def _alias_bomb(levels: int = 9) -> str:
    lines = ["bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"bomb{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@st.composite
def yaml_files(draw: st.DrawFn, seed: str) -> bytes:
    """A YAML document made from ``seed``: changes to its values, then maybe an alias bomb,
    a deep nest, a repeated key or an unquoted impossible date."""
    tree = yaml.safe_load(seed)
    for _ in range(draw(st.integers(0, 3))):
        tree = draw(_tree_change(tree))
    text = _placeholders(yaml.safe_dump(tree, sort_keys=False), quote="")
    addition = draw(
        st.sampled_from(["", "", "alias bomb", "deep", "repeat key", "date", "tag", "anchors"])
    )
    if addition == "alias bomb":
        text += _alias_bomb()
    elif addition == "deep":
        text += "deep: " + "[" * DEEP + "]" * DEEP + "\n"
    elif addition == "repeat key":
        text += text.splitlines()[0] + "\n" if text.strip() else "a: 1\na: 2\n"
    elif addition == "date":
        text += "effective: 2024-02-30\n"
    elif addition == "tag":
        text += "evil: !!python/object/apply:os.system ['true']\n"
    elif addition == "anchors":
        text = "x: &x {a: 1}\n" + text + "y: *x\nz: *missing\n"
    return draw(_bytes_change(text))


# -- bytes --------------------------------------------------------------------------------

ENCODINGS = ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252")


@st.composite
def _bytes_change(draw: st.DrawFn, text: str) -> bytes:
    """``text`` as UTF-8, or with one change to its bytes: another encoding (with a £ or a
    curly quote so it differs from UTF-8), a truncation, bytes inserted that are not text,
    or other line endings."""
    change = draw(
        st.sampled_from(["none", "none", "encoding", "truncate", "insert", "line ends", "empty"])
    )
    data = text.encode("utf-8", "surrogatepass")
    if change == "encoding":
        encoding = draw(st.sampled_from(ENCODINGS))
        accented = text.replace(",", ",£", 1).replace("e", "é", 1).replace("a", "\u201ca", 1)
        return accented.encode(encoding, "replace")
    if change == "truncate":
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    if change == "insert":
        at = draw(st.integers(0, len(data)))
        junk = draw(
            st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xa3", b"\xef\xbb\xbf", b'"', b"\r"])
            | st.binary(min_size=1, max_size=6)
        )
        return data[:at] + junk + data[at:]
    if change == "line ends":
        return data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r"])))
    if change == "empty":
        return draw(st.sampled_from([b"", b"\n", b"\xef\xbb\xbf", b" \n\n"]))
    return data
