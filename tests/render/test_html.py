"""html.py on its own: the sanitiser, URL resolution, srcset, plain text."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import html as lxml_html

from feedtool.render.html import (
    absolute_srcset,
    absolute_url,
    clean_html,
    plain_text,
    safe_url,
    srcset_candidates,
    summarize,
    text_as_html,
    xml_safe,
)
from feedtool.values import fields

BASE = "https://example.org/blog/2025/01/post/"

# (hostile input, text that must survive). Every payload contains "EVIL", so one
# search proves the payload is gone whatever form it took.
HOSTILE = [
    ('<p>a1 <script>alert("EVIL")</script> a2</p>', ["a1", "a2"]),
    ("<style>p { color: red } /* EVIL */</style><p>b1</p>", ["b1"]),
    ('<p>c1 <iframe src="https://EVIL.example/"></iframe> c2</p>', ["c1", "c2"]),
    ('<object data="https://EVIL.example/x.swf"><param name="EVIL">d1</object>', ["d1"]),
    ('<p>e0 <embed src="https://EVIL.example/x.swf">e1</p>', ["e0", "e1"]),
    (
        '<form action="https://EVIL.example/"><input name="EVIL"><textarea>EVIL</textarea>'
        '<select><option value="EVIL">f0</option></select><button>f1</button></form>',
        ["f1"],
    ),
    ('<p onclick="EVIL()" onmouseover="EVIL()">g1</p>', ["g1"]),
    ('<img src="a.png" onerror="EVIL()" alt="h1">', []),
    ('<a href="javascript:EVIL()">i1</a>', ["i1"]),
    ('<a href="jav&#x09;ascript:EVIL()">i2</a>', ["i2"]),
    ('<a href="jav\tascript:EVIL()">i3</a>', ["i3"]),
    ('<a href="java&#10;script:EVIL()">i4</a>', ["i4"]),
    ('<a href="&#106;avascript:EVIL()">i5</a>', ["i5"]),
    ('<a href=" JaVaScRiPt:EVIL()">i6</a>', ["i6"]),
    ('<a href="&#x6A;&#x61;vascript&#x3A;EVIL()">i7</a>', ["i7"]),
    ('<a href="vbscript:EVIL">i8</a>', ["i8"]),
    ('<a href="data:text/html,EVIL">j1</a>', ["j1"]),
    ('<a href="data:text/html;base64,RVZJTA==">j2</a>', ["j2"]),
    ('<img src="data:image/svg+xml,EVIL" alt="j3">', []),
    ('<img srcset="javascript:EVIL() 1x, ok.png 2x" alt="k1">', []),
    ('<video poster="javascript:EVIL()" src="v.mp4">k2</video>', ["k2"]),
    ("<p>l0<svg><script>EVIL()</script></svg>l1</p>", ["l0", "l1"]),
    ('<p style="background: url(EVIL)">m1</p>', ["m1"]),
    ("<!-- EVIL --><p>n1</p>", ["n1"]),
    ('<base href="https://EVIL.example/"><p>o1</p>', ["o1"]),
    ('<meta http-equiv="refresh" content="0;url=https://EVIL.example/"><p>o2</p>', ["o2"]),
    ('<link rel="stylesheet" href="https://EVIL.example/x.css"><p>o3</p>', ["o3"]),
    ("<noscript>EVIL</noscript><template>EVIL</template><p>p1</p>", ["p1"]),
    ('<a href="https://ok.example/" target="_blank" onfocus="EVIL()">q1</a>', ["q1"]),
]


@pytest.mark.parametrize(("hostile", "kept"), HOSTILE, ids=[h for h, _ in HOSTILE])
def test_hostile_construct_is_gone_and_text_stays(hostile: str, kept: list[str]) -> None:
    cleaned = clean_html(f"<div>before {hostile} after</div>", BASE)
    assert "EVIL" not in cleaned.upper()
    tree = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    banned = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "svg"}
    assert not [e.tag for e in tree.iter() if e.tag in banned]
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert name != "style"
            assert not value.lower().lstrip().startswith(("javascript:", "vbscript:"))
    text = tree.text_content()
    for word in ["before", *kept, "after"]:
        assert word in text


def test_ordinary_article_markup_survives() -> None:
    article = (
        "<h2>Head</h2><p><strong>b</strong> <em>i</em> <code>c</code></p>"
        '<ul><li>one</li></ul><ol start="3"><li>three</li></ol>'
        "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>"
        '<pre><code class="language-python">x = 1 &lt; 2</code></pre>'
        '<figure><img src="p.png" alt="pic"><figcaption>cap</figcaption></figure>'
        '<blockquote cite="q/">quote</blockquote><p><a href="o/">link</a></p>'
    )
    cleaned = clean_html(article, BASE)
    tree = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    tags = {e.tag for e in tree.iter()}
    expected = {"h2", "strong", "em", "code", "ul", "ol", "li", "table", "thead", "tbody"}
    assert (
        expected | {"tr", "th", "td", "pre", "figure", "img", "figcaption", "blockquote", "a"}
        <= tags
    )
    assert tree.find(".//ol").get("start") == "3"
    assert tree.find(".//pre/code").get("class") == "language-python"
    assert "x = 1 &lt; 2" in cleaned


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/about/", "https://example.org/about/"),
        ("img/b.png", "https://example.org/blog/2025/01/post/img/b.png"),
        ("./same/", "https://example.org/blog/2025/01/post/same/"),
        ("../x/", "https://example.org/blog/2025/01/x/"),
        ("../../../../../../up", "https://example.org/up"),
        ("//cdn.example.net/x.css", "https://cdn.example.net/x.css"),
        ("?q=1", "https://example.org/blog/2025/01/post/?q=1"),
        ("#frag", "https://example.org/blog/2025/01/post/#frag"),
        ("", ""),
        ("  /padded/  ", "https://example.org/padded/"),
        ("a b.png", "https://example.org/blog/2025/01/post/a%20b.png"),
        ("mailto:me@example.org", "mailto:me@example.org"),
        ("tel:+15551234", "tel:+15551234"),
        ("https://other.example/p?a=1&b=2#f", "https://other.example/p?a=1&b=2#f"),
        ("http://other.example/", "http://other.example/"),
    ],
)
def test_every_relative_form_becomes_absolute(url: str, expected: str) -> None:
    assert absolute_url(url, BASE) == expected
    if expected:
        cleaned = clean_html(f'<a href="{url}">x</a>', BASE)
        assert lxml_html.fragment_fromstring(cleaned).get("href") == expected


@pytest.mark.parametrize(
    ("tag", "attribute"),
    [
        ("img", "src"),
        ("a", "href"),
        ("video", "poster"),
        ("video", "src"),
        ("audio", "src"),
        ("source", "src"),
        ("track", "src"),
        ("blockquote", "cite"),
        ("q", "cite"),
        ("del", "cite"),
        ("ins", "cite"),
    ],
)
def test_every_url_attribute_is_made_absolute(tag: str, attribute: str) -> None:
    wrapper = "video" if tag in ("source", "track") else "div"
    cleaned = clean_html(f'<{wrapper}><{tag} {attribute}="rel/x">t</{tag}></{wrapper}>', BASE)
    tree = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    element = tree.find(f".//{tag}")
    assert element is not None, cleaned
    assert element.get(attribute) == BASE + "rel/x"


def test_srcset_candidates_follow_the_html_standard() -> None:
    srcset = " a.png 1x,b.png   2x , https://x.example/c,d.png 3x,e.png,, f.png (x, y) 100w"
    assert list(srcset_candidates(srcset)) == [
        ("a.png", "1x"),
        ("b.png", "2x"),
        ("https://x.example/c,d.png", "3x"),
        ("e.png", ""),
        ("f.png", "(x, y) 100w"),
    ]


def test_srcset_is_absolute_and_safe() -> None:
    result = absolute_srcset("a.png 1x, /b.png 2x, javascript:alert(1) 3x, //c.example/c.png", BASE)
    assert result == (f"{BASE}a.png 1x, https://example.org/b.png 2x, https://c.example/c.png")
    cleaned = clean_html(
        '<picture><source srcset="w.webp 480w, https://x.example/w,2.webp 800w">'
        '<img src="w.jpg" srcset="w-1.jpg, w-2.jpg 2x" sizes="50vw"></picture>',
        BASE,
    )
    tree = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    assert tree.find(".//source").get("srcset") == (
        f"{BASE}w.webp 480w, https://x.example/w,2.webp 800w"
    )
    assert tree.find(".//img").get("srcset") == f"{BASE}w-1.jpg, {BASE}w-2.jpg 2x"
    assert tree.find(".//img").get("sizes") == "50vw"


def test_data_urls_only_as_raster_images() -> None:
    png = "data:image/png;base64,iVBORw0KGgo="
    assert safe_url(png, BASE, data_image=True) == png
    assert safe_url(png, BASE) is None
    assert safe_url("data:image/svg+xml,<svg/>", BASE, data_image=True) is None
    assert safe_url("data:text/html,x", BASE, data_image=True) is None
    assert safe_url("http://[::1", BASE) is None  # unparseable: dropped, not a crash
    cleaned = clean_html(f'<img src="{png}"><a href="{png}">t</a>', BASE)
    assert cleaned == f'<img src="{png}"><a>t</a>'


def test_xml_illegal_characters_are_dropped() -> None:
    assert xml_safe("a\x00b\x0bc\ufffed\ud800e\tf") == "abcde\tf"
    assert clean_html("<p>a\x01b</p>", BASE) == "<p>ab</p>"


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
@example("a\x7fb\x1f\t\n\r")
@example("é\x85\udc80\uffff")
def test_xml_safe_drops_exactly_what_the_pattern_names(text: str) -> None:
    # ASCII text is checked without the pattern (fields.py): the same characters go.
    assert xml_safe(text) == fields._XML_ILLEGAL.sub("", text)


def test_ascii_text_is_checked_without_a_search(monkeypatch: pytest.MonkeyPatch) -> None:
    # The character class's search costs a test per character of every body and cached
    # entry; ASCII text, most of it, is told apart in C.
    searched: list[str] = []

    class Spy:
        def search(self, text: str) -> object:
            searched.append(text)
            return fields_pattern.search(text)

        def sub(self, new: str, text: str) -> str:
            return fields_pattern.sub(new, text)

    fields_pattern = fields._XML_ILLEGAL
    monkeypatch.setattr(fields, "_XML_ILLEGAL", Spy())
    body = "<p>" + "plain words " * 1000 + "</p>"
    assert xml_safe(body) is body
    assert xml_safe("a\x00b") == "ab"
    assert searched == []
    assert xml_safe("caf\u00e9\x00") == "caf\u00e9" and searched == ["caf\u00e9\x00"]


def test_plain_text_and_summary() -> None:
    fragment = "<p>One &amp; <b>two</b></p><table><tr><td>a</td><td>b</td></tr></table>"
    assert plain_text(fragment) == "One & two a b"
    long = "<p>" + "word " * 100 + "</p>"
    summary = summarize(long, limit=50)
    assert summary.endswith("…") and len(summary) <= 51
    assert summarize("<p>short</p>") == "short"


def test_an_image_reads_as_its_alt_text() -> None:
    # As a reader who cannot see it gets it; else "A link and ." is what a summary says.
    image = '<img src="a.png" alt="a &quot;cat&quot; &amp; hat">'
    html = clean_html(f"<p>A link and {image}.</p>", BASE)
    assert plain_text(html) == 'A link and a "cat" & hat.'
    assert plain_text(clean_html('<p>No alt <img src="a.png"> here</p>', BASE)) == "No alt here"


def test_text_as_html_shows_the_text() -> None:
    text = 'The <em>real</em> "deal" & more'
    escaped = text_as_html(text)
    assert "<em>" not in escaped
    assert lxml_html.fragment_fromstring(escaped, create_parent="p").text_content() == text


def test_alt_text_and_captions_stay_apart() -> None:
    figure = '<figure><img src="a.png" alt="A cat"><figcaption>Our cat</figcaption></figure>'
    assert plain_text(clean_html(figure, BASE)) == "A cat Our cat"
    between = '<p>one</p><img src="b.png" alt="two"><p>three</p>'
    assert plain_text(clean_html(between, BASE)) == "one two three"


def test_cleaned_html_parses_into_the_tree_it_was_written_from() -> None:
    # html5ever opens a <p> inside the <object> for the stray </p>; with the object removed,
    # one pass writes <p><p></p></p>, which a browser parses into other elements.
    import html5lib

    cleaned = clean_html("<p><object><!-- c --></p>\n", "https://example.org/post/")
    assert "<p><p>" not in cleaned
    assert clean_html(cleaned, "https://example.org/post/") == cleaned
    html5lib.HTMLParser(strict=True).parseFragment(cleaned)  # raises on a parse error
