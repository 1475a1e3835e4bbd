"""The fast front-matter reader must give exactly what the YAML loader gives, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedtool.read import quickyaml
from feedtool.read.frontmatter import _yaml_loaders, parse_meta

# Values chosen to hit YAML's traps: booleans, nulls, numbers, dates, quotes,
# indicators, comments, colons, escapes, and odd Unicode.
TRAPS = [
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "",
    "0",
    "-1",
    "1_000",
    "0x1F",
    "1e3",
    ".inf",
    ".NaN",
    "2025-01-01",
    "2025-01-01T10:00:00Z",
    "2025-1-1",
    "12:30",
    "1:20:30",
    "<<",
    "=",
    "a: b",
    "a #b",
    "a#b",
    "#x",
    "- x",
    "-x",
    "? x",
    "[a, b]",
    "[]",
    "[a, [b]]",
    "[yes, 1]",
    "{a: b}",
    "'single'",
    "'it''s'",
    '"double"',
    '"esc\\n"',
    '"a"b"',
    "|",
    ">",
    "&anchor",
    "*ref",
    "!tag x",
    "%x",
    "@x",
    "`x`",
    "a,b",
    "trailing:",
    "é ü 漢字",
    "\u202e rtl",
    "a\u0085b",
    "x\u2028y",
    "\ufeffbom",
    "tab\there",
    "ctrl\x07",
    "  spaced  ",
]
KEYS = ["title", "date", "tags", "draft", "summary", "yes", "null", "1", "a-b", "_x", "Key", "on"]

scalar = st.one_of(st.sampled_from(TRAPS), st.text(max_size=12))
flow = st.lists(scalar, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
line = st.tuples(
    st.sampled_from(KEYS), st.one_of(scalar, flow), st.sampled_from([": ", ":", ":  "])
).map(lambda t: f"{t[0]}{t[2]}{t[1]}")
extra = st.sampled_from(["", "# comment", "  nested: x", "- item", "...", "%YAML 1.1"])
document = st.one_of(
    st.lists(line, min_size=1, max_size=5).map("\n".join),
    st.lists(st.one_of(line, extra), min_size=1, max_size=6).map("\n".join),
)


def yaml_result(source: str) -> object:
    """What the YAML loader itself makes of ``source`` (parse_meta would ask quickyaml)."""
    fast, _ = _yaml_loaders()
    try:
        return yaml.load(source, Loader=fast)
    except yaml.YAMLError:
        return yaml.YAMLError


@settings(max_examples=1000)
@given(document)
@example('title: "Hello"\ndate: 2025-01-01T00:00:00Z\ntags: [a, b]\ndraft: no')
@example("title: yes")
@example("k" * 1025 + ": v")
@example("k" * 1024 + ": v")
@example("title: 2025-01-01")
@example("tags: [a, , b]")
@example("tags: [a, ]")
@example("tags: [ ]")
@example("tags: [a,#b]")
@example("tags: [a, b #c]")
@example("tags: [a, 'b']")
@example("tags: [a, {b}]")
@example("tags: [~, b]")
@example("tags: [a,b,  c  ]")
def test_fast_path_agrees_with_yaml(source: str) -> None:
    fast = quickyaml.load(source)
    if fast is not None:
        assert fast == yaml_result(source)
        assert [type(v) for v in fast.values()] == [type(v) for v in yaml_result(source).values()]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "source",
    [
        'title: "Hello"\ndate: 2025-08-16T09:30:00Z\ntags: [a, b]\nsummary: plain text here',
        "title: 'Quoted'\ndraft: true\nupdated:",
    ],
)
def test_fast_path_answers_the_common_case(source: str) -> None:
    # The fast path must actually be taken for typical front matter, or it is no faster.
    assert quickyaml.load(source) == yaml_result(source)
    assert parse_meta(source, "yaml", Path("x.md")) == yaml_result(source)


def test_its_written_out_types_are_pyyamls() -> None:
    # quickyaml does not load PyYAML; its copy of PyYAML's implicit types must not drift.
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    words = {"yes", "no", "true", "false", "on", "off", "y", "n", "null", "nul", "none", "~"}
    candidates = {form for word in words for form in (word, word.title(), word.upper())}
    for first, resolvers in Resolver.yaml_implicit_resolvers.items():
        for tag, pattern in resolvers:
            kind = tag.rsplit(":", 1)[1]
            matched = {word for word in candidates if word[:1] == first and pattern.match(word)}
            if kind == "bool":
                assert matched == {w for w in quickyaml._BOOLEANS if w[0] == first}
                assert all(
                    quickyaml._BOOLEANS[w] == SafeConstructor.bool_values[w.lower()]
                    for w in matched
                )
            elif kind == "null":
                assert matched == {w for w in quickyaml._NULLS if w[0] == first}
            elif kind == "timestamp":
                assert (pattern.pattern, pattern.flags) == (
                    quickyaml._TIMESTAMP.pattern,
                    quickyaml._TIMESTAMP.flags,
                )
            else:  # numbers, merge and value keys, tags: always left to PyYAML
                assert first in quickyaml._NUMERIC_START | quickyaml._OTHER_TYPED_START | set(
                    quickyaml._INDICATORS
                )


def test_flat_front_matter_is_read_without_loading_pyyaml(tmp_path: Path) -> None:
    # The point of quickyaml's own table: PyYAML costs ~10 ms to load, a rebuild's worth.
    import subprocess
    import sys

    script = (
        "import sys; from feedtool.read.frontmatter import parse_meta; "
        "meta = parse_meta('title: Hi\\ndate: 2025-01-01\\ntags: [a, b]\\n', 'yaml', 'x.md'); "
        "print(meta['tags'], 'yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['a',", "'b']", "False"]


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(max_codepoint=0x30), max_size=20) | st.text(max_size=20))
@example("tab\there")
@example("del\x7f")
@example("line\nbreak")
@example("nbsp\u00a0")
def test_its_check_of_unsafe_text_is_the_patterns(text: str) -> None:
    # ASCII text is checked with str.isprintable, the rest with the pattern itself.
    assert quickyaml._unsafe(text) == (quickyaml._UNSAFE_TEXT().search(text) is not None)
