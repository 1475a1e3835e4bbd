"""feedtool ids --keep's edit: one id line in, every other byte of the file as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Site
from feedtool.config import load_config
from feedtool.errors import ContentError
from feedtool.read.metadata import load_article
from feedtool.site.ids import keep_id

TAG = "tag:example.org,2025-01-02:/old"

# (file name, its bytes, sidecar name or "", sidecar bytes) -> the file changed, after
CASES = {
    "yaml front matter": (
        "a.md",
        b"---\ntitle: T\ndate: 2025-01-02\n---\nid: not metadata, body text\n",
        "",
        b"",
        b"---\nid: " + TAG.encode() + b"\ntitle: T\ndate: 2025-01-02\n---\nid: not metadata, "
        b"body text\n",
    ),
    "toml front matter, BOM and CRLF": (
        "a.md",
        b'\xef\xbb\xbf+++\r\ntitle = "T"\r\ndate = 2025-01-02\r\n+++\r\nText.\r\n',
        "",
        b"",
        b'\xef\xbb\xbf+++\r\nid = "' + TAG.encode() + b'"\r\ntitle = "T"\r\ndate = 2025-01-02'
        b"\r\n+++\r\nText.\r\n",
    ),
    "an id there already": (
        "a.md",
        b"---\ntitle: T\n  # a comment\nid: 'urn:x:new'   \ndate: 2025-01-02\n---\n",
        "",
        b"",
        b"---\ntitle: T\n  # a comment\nid: " + TAG.encode() + b"\ndate: 2025-01-02\n---\n",
    ),
    "yaml sidecar with a document start": (
        "a.txt",
        b"Text.\n",
        "a.yaml",
        b"---\ntitle: T\ndate: 2025-01-02\n",
        b"---\nid: " + TAG.encode() + b"\ntitle: T\ndate: 2025-01-02\n",
    ),
    "toml sidecar": (
        "a.txt",
        b"Text.\n",
        "a.toml",
        b'title = "T"\ndate = 2025-01-02\n[extra]\nid = 1\n',
        b'id = "' + TAG.encode() + b'"\ntitle = "T"\ndate = 2025-01-02\n[extra]\nid = 1\n',
    ),
    "json sidecar": (
        "a.html",
        b"<p>Text.</p>\n",
        "a.json",
        b'{\n  "title": "T",\n  "date": "2025-01-02"\n}\n',
        b'{"id": "' + TAG.encode() + b'", \n  "title": "T",\n  "date": "2025-01-02"\n}\n',
    ),
    "json sidecar with an id": (
        "a.html",
        b"<p>Text.</p>\n",
        "a.json",
        b'{\n  "id": "urn:x:1",\n  "title": "T",\n  "date": "2025-01-02"\n}\n',
        b'{\n  "id": "' + TAG.encode() + b'",\n  "title": "T",\n  "date": "2025-01-02"\n}\n',
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_keep_id(site: Site, case: str) -> None:
    name, data, sidecar, sidecar_data, expected = CASES[case]
    (site.content / name).write_bytes(data)
    if sidecar:
        (site.content / sidecar).write_bytes(sidecar_data)
    changed = keep_id(site.content / name, TAG)
    assert changed == site.content / (sidecar or name)
    assert changed.read_bytes() == expected
    article = load_article(site.content / name, load_config(site.config_path))
    assert article.id == TAG
    assert article.title == "T"


def test_an_id_it_cannot_replace_safely_is_left_alone(site: Site) -> None:
    text = "---\ntitle: T\ndate: 2025-01-02\nid: >\n  urn:x:1\n---\n"
    path = site.write("a.md", text)
    with pytest.raises(ContentError) as caught:
        keep_id(path, TAG)
    assert "by hand" in str(caught.value)
    assert path.read_text() == text


def test_an_odd_id_is_quoted(site: Site) -> None:
    path = site.article("a.md")
    keep_id(path, "urn:x:it's#1")
    assert path.read_text().splitlines()[1] == 'id: "urn:x:it\'s#1"'
    assert load_article(path, load_config(site.config_path)).id == "urn:x:it's#1"


def test_file_mode_is_kept(site: Site, tmp_path: Path) -> None:
    path = site.article("a.md")
    path.chmod(0o640)
    keep_id(path, TAG)
    assert path.stat().st_mode & 0o777 == 0o640
