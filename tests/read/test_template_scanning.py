"""Template syntax in bodies (Hugo shortcodes, Liquid) is found in time linear in the
body's length, and every tag left out is named in a warning.

Each scanning test times the same work on an input and on one four times as long: a
linear scan costs about 4 times as much, the quadratic one it replaces 16 times (an
unclosed ``{{ a `` 8,000 times took 20 s; at the 4 MiB article limit, hours). The
limit is a ratio, never a time, so a slow machine does not fail it.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from feedtool.read.dialects.eleventy import Eleventy
from feedtool.read.dialects.templates import MAX_NOTES, hugo, liquid, notes

GROWTH_LIMIT = 6.0  # 4x input: linear is ~4, quadratic ~16


def _cost(work: Callable[[], object]) -> float:
    """The least of a few runs, in CPU time: the machine's other processes do not count,
    nor the garbage collector, whose pauses grow with all else the test process holds."""
    best, spent, runs = float("inf"), 0.0, 0
    gc.disable()
    try:
        while runs < 15 and spent < 0.5:
            started = time.process_time()
            work()
            took = time.process_time() - started
            best, spent, runs = min(best, took), spent + took, runs + 1
    finally:
        gc.enable()
    return best


def _growth(make: Callable[[int], str], work: Callable[[str], object], size: int) -> float:
    """How many times the cost of ``work`` grows from an input to one 4 times as long;
    measured up to three times, as a burst of load on a busy machine looks like growth."""
    small, large = make(size), make(4 * size)
    growths = []
    for _ in range(3):
        growths.append(_cost(lambda: work(large)) / _cost(lambda: work(small)))
        if growths[-1] < GROWTH_LIMIT:
            break
    return min(growths)


def _eleventy(text: str) -> object:
    dialect = Eleventy.__new__(Eleventy)  # parse() needs no site
    with pytest.raises(Exception, match="JavaScript front matter"):
        dialect.parse(text, "post.md")
    return None


CASES: dict[str, tuple[Callable[[int], str], Callable[[str], object], int]] = {
    # Issue 22's inputs: unclosed tags, each of which scanned to the end of the body.
    "liquid output never closed": (lambda n: "{{ a " * n, liquid, 2000),
    "liquid tag never closed": (lambda n: "{% a " * n, liquid, 2000),
    "raw never closed": (lambda n: "{% raw %} x " * n, liquid, 2000),
    "highlight never closed": (lambda n: "{% highlight py %} x " * n, liquid, 2000),
    "shortcode never closed": (lambda n: "{{< a " * n, hugo, 2000),
    "shortcode never closed, %": (lambda n: "{{% a " * n, hugo, 2000),
    # hugo() looked for each shortcode's closing tag up to the end of the body.
    "many shortcodes without a closing tag": (lambda n: "{{< a >}} x " * n, hugo, 2000),
    "many distinct shortcodes": (
        lambda n: "".join(f"{{{{< s{i} >}}}} x " for i in range(n)),
        hugo,
        2000,
    ),
    "spaces inside a shortcode": (lambda n: "{{< a" + " " * (20 * n) + '"', hugo, 2000),
    "warnings for many kinds": (
        lambda n: "".join(f"{{% t{i} %}}\n" for i in range(n)),
        lambda text: notes("liquid", "post.md", text, 5),
        2000,
    ),
    # Eleventy's ---js front matter: a value ending in a long run of spaces.
    "---js value with spaces": (
        lambda n: '---js\nconst title = "x"' + " " * (10 * n) + "y\n---\nBody\n",
        _eleventy,
        2000,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_scanning_grows_linearly(case: str) -> None:
    make, work, size = CASES[case]
    growth = _growth(make, work, size)
    assert growth < GROWTH_LIMIT, f"{case}: 4x the input cost {growth:.1f}x the time"


def test_unclosed_tags_are_shown_as_written_and_named() -> None:
    text, dropped = liquid("a {{ b\n")
    assert text == "a {{ b\n"
    assert list(dropped) == ["'{{' is never closed; the text from there on is shown as it is"]
    text, dropped = hugo("a {{< b\n")
    assert text == "a {{< b\n"
    assert list(dropped) == ["'{{<' is never closed; the text from there on is shown as it is"]


def test_hugo_prints_an_escaped_shortcode_as_written_without_the_comment_marks() -> None:
    # As Hugo 0.111 does: {{</* figure src="a.png" */>}} is the text {{< figure src="a.png" >}}.
    text, dropped = hugo(
        'Use {{</* figure src="a.png" */>}} or {{%/* note */%}}x{{%/* /note */%}}.'
    )
    assert text == 'Use {{< figure src="a.png" >}} or {{% note %}}x{{% /note %}}.'
    assert dropped == {}


def test_a_liquid_output_in_an_attribute_is_named_with_its_attribute() -> None:
    body = "Intro.\n\n<a href=\"{{ '#x' | url }}\">see</a>\n"
    assert notes("liquid", "content/blog/a.md", body, 4) == [
        "content/blog/a.md:6: template output \"{{ '#x' | url }}\" in the href attribute is "
        "not rendered by feedtool; the attribute is left empty in the feed"
    ]


def test_each_kind_is_named_once_at_its_first_line_and_many_kinds_are_counted() -> None:
    body = "{% a %}\n{% b %}\n{% a %}\n{{ c | d }}\n"
    assert notes("liquid", "p.md", body, 3) == [
        "p.md:3: template tag 'a' is not rendered by feedtool; it was left out of the feed",
        "p.md:4: template tag 'b' is not rendered by feedtool; it was left out of the feed",
        "p.md:6: template tag '{{ c }}' is not rendered by feedtool; it was left out of the feed",
    ]
    many = "".join(f"{{% t{i} %}}\n" for i in range(MAX_NOTES + 5))
    found = notes("liquid", "p.md", many, 1)
    assert len(found) == MAX_NOTES + 1
    assert found[-1] == "p.md: and 5 more kinds of template tag"


def test_raw_comment_and_highlight_blocks_keep_their_meaning() -> None:
    text, dropped = liquid(
        "{% raw %}{{ kept }} {% also %}{% endraw %}|{% comment %}{{ gone }}{% endcomment %}|"
        "{% highlight py %}x < 1{% endhighlight %}"
    )
    assert text == '{{ kept }} {% also %}||<pre><code class="language-py">x &lt; 1</code></pre>'
    assert dropped == {}


def test_an_eleventy_value_is_still_read() -> None:
    dialect = Eleventy.__new__(Eleventy)
    meta, _ = dialect.parse('---js\nconst title = "x";   \nlet n = 2\n---\nBody\n', "p.md")
    assert meta == {"title": "x", "n": 2}
