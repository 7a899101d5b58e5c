"""Untrusted text is shown as text: Markdown link and image syntax, HTML and bare URLs in every URL
parameter and every stored text field (IDs, names, messages, notes, staff, file names, quarantined raw
rows) never become a link or an image on any page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.loader import load_files
from pipelines.untrusted import for_markdown
from tests.conftest import (
    EVENT_COLUMNS,
    INQUIRY_COLUMNS,
    csv_text,
    dashboard,
    event,
    inquiry,
    write,
)

# one worker runs this module: its module-scoped database is built once, not once per worker
pytestmark = pytest.mark.xdist_group("untrusted_text")

HOST = "evil.example"
LINK = f"[click](http://{HOST}/a)"
IMAGE = f"![x](http://{HOST}/i.png)"
HTML = f'<img src="http://{HOST}/h.png"><a href="http://{HOST}/b">b</a>'
BARE = f"www.{HOST} http://{HOST}/c mail@{HOST}"
HOSTILE = f"{LINK} {IMAGE} {HTML} {BARE} :red[x] $x^2$"
PAGES = ["views/overview.py", "views/today.py", "views/inquiries.py", "views/data.py"]
AS_OF = "2026-11-24"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    hostile_id = f"Q1{LINK}"
    rows = [
        inquiry(
            hostile_id,
            "2026-11-10 10:00",
            requested_for="2026-11-30",
            customer_name=HOSTILE,
            customer_address=HOSTILE,
            customer_email=f"x@{HOST}",
            service=HOSTILE,
            channel=HOSTILE,
            message=HOSTILE,
        ),
        inquiry("Q2", "2026-11-10 10:00", requested_for="2026-12-20", customer_name=IMAGE),
    ]
    events = [
        event(hostile_id, "2026-11-11 10:00", "quote_sent", amount_jpy=5000, staff=HOSTILE),
        event("Q2", "2026-11-11 10:00", "quote_sent", note=HOSTILE, staff=LINK),
        event("Q2", "2026-11-12 10:00", "no such kind " + IMAGE),  # quarantined, raw text kept
    ]
    db = folder / "ops.duckdb"
    inq = write(folder / f"inq [click](www.{HOST}).csv", csv_text(INQUIRY_COLUMNS, rows))
    ev = write(folder / f"quotes ![x](www.{HOST}).csv", csv_text(EVENT_COLUMNS, events))
    load_files([inq, ev], db)
    return db


# markup that would still act: an unescaped ]( or ![ or tag, a colour directive, a URL scheme, a bare
# www. name or an e-mail address (GitHub-flavoured Markdown makes the last three links)
UNESCAPED_MARKUP = re.compile(
    r"(?<!\\)\]\(|(?<!\\)!\[|(?<!\\)<img|(?<!\\)<a\s|(?<!\\):red\[|(?<!\\)://|www\.|(?<!\\)@",
    re.IGNORECASE,
)


def markdown_bodies(at: object) -> list[str]:
    """Every text Streamlit renders as Markdown on the page (and the sidebar)."""
    bodies = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title"):
        bodies += [e.value for e in getattr(at, kind)]
    bodies += [e.value for e in at.subheader] + [e.value for e in at.header]
    return bodies


def html_bodies(at: object) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def check_page(at: object) -> None:
    assert not at.exception, at.exception
    for body in markdown_bodies(at):
        assert not UNESCAPED_MARKUP.search(body), body
    for body in html_bodies(at):  # st.html: every value HTML-escaped, so no tag of ours is live
        assert "<img" not in body
        assert f'href="http://{HOST}' not in body
        assert f'src="http://{HOST}' not in body


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("param", ["as_of", "inquiry", "lang", "min_lead_days"])
def test_markup_in_every_url_parameter_is_text(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch, page: str, param: str
) -> None:
    params = {"as_of": AS_OF, param: HOSTILE}
    at = dashboard(hostile_db, monkeypatch, **params)
    at.switch_page(page).run()
    check_page(at)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_markup_in_stored_text_is_text(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = dashboard(hostile_db, monkeypatch, as_of=AS_OF)
    at.switch_page(page).run()
    check_page(at)


@pytest.mark.slow
@pytest.mark.parametrize("inquiry_id", [f"Q1{LINK}", "Q2"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_inquiry_with_hostile_text_opens_as_text(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch, inquiry_id: str, lang: str
) -> None:
    at = dashboard(hostile_db, monkeypatch, as_of=AS_OF, lang=lang, inquiry=inquiry_id)
    at.switch_page("views/inquiries.py").run()
    check_page(at)
    shown = "\n".join(markdown_bodies(at))
    assert for_markdown(inquiry_id) in shown  # the ID is there, as its characters


def test_the_escaped_text_still_reads_the_same() -> None:
    """Backslash escapes are what CommonMark shows as the character itself (and the word joiner
    that keeps a URL scheme from linking is invisible)."""
    escaped = for_markdown(HOSTILE)
    assert re.sub(r"\\(.)", r"\1", escaped).replace("\u2060", "") == HOSTILE


def test_no_url_in_untrusted_text_becomes_a_link() -> None:
    """GFM links a bare http:// even with its colon escaped: the scheme is split from its colon."""
    for text in (
        "[x](http://example.com)",
        "see https://evil.example/x.png",
        "FTP://a",
        "mailto:a@b",
    ):
        shown = re.sub(r"\\(.)", r"\1", for_markdown(text)).replace("\u2060", "\n")
        assert re.search(r"(?i)(https?|ftp|mailto):", shown) is None, shown
