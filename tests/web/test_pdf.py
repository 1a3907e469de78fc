"""The dashboard's PDFs on the hand-worked school (tests/web/conftest.py): Download Report and
the interactions' questions and answers, read back with pypdf; who may have them; bad input."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.web.conftest import DAY, make_ks, signed_in
from vantage.ingest.store import Store
from vantage.web import panels, pdf

ROOM = "/analytics/rooms/1_main"
S1_PARIS = {**DAY, "session": "s1", "tz": "Europe/Paris"}


@pytest.fixture(autouse=True)
def admin(client: TestClient, school: Store) -> None:
    signed_in(client, school)


def _read(answer: httpx.Response) -> list[pypdf.PageObject]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    return list(pypdf.PdfReader(io.BytesIO(answer.content)).pages)


def _text(pages: list[pypdf.PageObject]) -> str:
    return "\n".join(p.extract_text() for p in pages)


def test_the_room_report_of_a_session(client: TestClient) -> None:
    answer = client.get(ROOM + "/summary.pdf", params=S1_PARIS)
    pages = _read(answer)
    assert answer.headers["content-disposition"] == (
        'attachment; filename="report-1_main-2026-08-03-2026-08-03-s1.pdf"'
    )
    assert answer.headers["cache-control"] == "private, no-store"
    text = _text(pages)
    # the title: the room, the session in the chosen zone (s1 is 10:00–10:10 UTC), the zone
    assert "Biology 101\nSession summary\n" in text
    assert "2026-08-03 12:00 to 2026-08-03 12:10 (Europe/Paris): session s1" in text
    assert "Made 2026-" in text and "Every time is in Europe/Paris." in text
    # the overview (the numbers of test_pages' overview), each share with what it divides by
    for tile in (
        "3\nunique viewers live 3",
        "0.8 min\naverage minutes viewed",  # 2.25 / 3
        "77.8%\naverage live engagement rate",  # 105 / 135
        "66.7%\nReactions of 3 unique viewers ·\n4 reactions sent",
        "33.3%\nGroup chat of 3 logged-in users",
        "66.7%\nQ&A of 3 logged-in users",
        "33.3%\nAttachment downloads of 3\nunique viewers · 2 downloads",
    ):
        assert tile in text, tile
    # the engagement table: prof 1 min all engaged; alice 0.75 min, 3 reactions, 2 messages,
    # 3 poll answers, a raised hand, 35 / 45 engaged; bob 0.5 min, 1 reaction, 10 / 30
    assert "Pat Professor 1.0 0 0 0 0 100.0%" in text
    assert "Alice Liddell 0.8 3 2 3 1 77.8%" in text
    assert "Bob Builder 0.5 1 0 0 0 33.3%" in text
    assert "Total 2.2 4 2 3 1 77.8%" in text
    assert "Only the first" not in text  # all three people are listed
    # the timeline's chart: its axes' text is the SVG's, drawn as vectors
    assert "12:00\n12:05\n12:09 (Europe/Paris)" in text
    # the interactions: alice answered 4, then 5 (her latest, wrong)
    assert "2 + 2? · quiz · 1 participant · 0.0% right" in text
    assert "The correct answer: 4." in text
    assert "4 0 0.0% ✓ correct\n5 1 100.0% ✗" in text
    assert "yes 1 100.0%" in text
    # nothing of the screen's: no search form, pager or link to the interactions' PDF
    for screen in ("Find a person", "Page 1 of", "PDF of all questions", "Download Report"):
        assert screen not in text


def _drawn(resources: Any) -> Iterator[tuple[str, bytes]]:
    """Each XObject of a page's resources, nested ones too: (its subtype, its stream)."""
    for ref in (resources or {}).get("/XObject", {}).values():
        found = ref.get_object()
        yield str(found.get("/Subtype")), found.get_data()
        yield from _drawn(found.get("/Resources"))


def test_the_charts_are_vectors(client: TestClient) -> None:
    pages = _read(client.get(ROOM + "/summary.pdf", params=S1_PARIS))
    drawn = [d for page in pages for d in _drawn(page["/Resources"])]
    assert drawn and all(kind == "/Form" for kind, _ in drawn)  # no raster image anywhere
    streams = b"\n".join(
        [*(data for _, data in drawn), *(p.get_contents().get_data() for p in pages)]  # type: ignore[union-attr]
    )
    # the timeline's viewers line, stroked (S) as a path in its colour (#0b5cad), not pixels
    assert b"0.043137 0.360784 0.678431 RG" in streams and b"\nS\n" in streams


def test_the_report_follows_the_tables_order_and_search(client: TestClient) -> None:
    up = _text(_read(client.get(ROOM + "/summary.pdf", params={**DAY, "order": "+live_view_time"})))
    assert up.index("Bob Builder") < up.index("Alice Liddell") < up.index("Pat Professor")
    found = _text(_read(client.get(ROOM + "/summary.pdf", params={**DAY, "search": "Lid"})))
    assert "Alice Liddell 0.8" in found and "Bob" not in found
    assert "Total 0.8 3 2 3 1 77.8%" in found  # the Total covers the people found


def test_a_long_table_is_capped_and_says_so(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(panels, "PRINT_ROWS", 2)
    text = _text(_read(client.get(ROOM + "/summary.pdf", params=DAY)))
    assert "Pat Professor" in text and "Alice Liddell" in text and "Bob" not in text
    assert "Only the first 2 of the 3 people, in this order, are listed here" in text
    assert "Total 2.2 4 2 3 1 77.8%" in text  # all three


def test_a_report_without_a_session_has_no_timeline(client: TestClient) -> None:
    text = _text(_read(client.get(ROOM + "/summary.pdf", params=DAY)))
    assert "2026-08-03 00:00 to 2026-08-03 23:59 (UTC): from 2026-08-03 to 2026-08-03" in text
    assert "Pick a session to see its viewers" in text
    week = _text(_read(client.get(ROOM + "/summary.pdf", params={"preset": "7", "tz": "UTC"})))
    assert "(UTC): the last 7 days, every session." in week


def test_the_channels_questions_and_answers(client: TestClient) -> None:
    answer = client.get("/analytics/categories/5/interactions.pdf", params=DAY)
    assert answer.status_code == 200
    text = _text(_read(answer))
    assert "2 + 2?" in text and "Ready?" in text  # 1_main's polls, its category's only room


def test_the_channel_report(client: TestClient) -> None:
    answer = client.get("/analytics/categories/5/summary.pdf", params=DAY)
    text = _text(_read(answer))
    assert "Channel analytics · category 5\nBiology\nSummary\n" in text
    assert "3\nunique viewers" in text and "Total 2.2 4 2 3 1 77.8%" in text  # 1_main its room
    assert "Live viewers" not in text  # a session's panel
    assert "Interactions: polls, quizzes and their answers" in text  # every room's polls
    assert 'filename="report-5-2026-08-03-2026-08-03.pdf"' in answer.headers["content-disposition"]


def test_every_question_and_answer(more: TestClient) -> None:
    answer = more.get(ROOM + "/interactions.pdf", params=DAY)
    text = _text(_read(answer))
    assert answer.headers["content-disposition"] == (
        'attachment; filename="interactions-1_main-2026-08-03-2026-08-03.pdf"'
    )
    assert "Biology 101\nInteractions: all questions and answers" in text
    # by launch: the quiz with its correct answer, the poll, the open question's texts (bob's
    # two, in time order), the rating scale nobody answered with every option
    assert text.index("2 + 2?") < text.index("Ready?") < text.index("Any questions?")
    assert text.index("Any questions?") < text.index("Rate the class")
    assert "The correct answer: 4." in text and "5 1 100.0% ✗" in text
    assert "none (bob, 10:01 UTC)\none, in fact (bob, 10:01 UTC)" in text
    assert "ratingScale · 0 participants" in text and "Nobody answered." in text
    assert "1 0 –\n2 0 –\n3 0 –" in text
    assert "Viewer engagement" not in text and "Overview" not in text  # the interactions only


def test_the_page_and_the_panel_link_their_pdfs(client: TestClient) -> None:
    page = client.get(ROOM, params=DAY).text
    assert (
        '<a id="download-report" href="/analytics/rooms/1_main/summary.pdf?preset=custom'
        '&amp;from=2026-08-03&amp;to=2026-08-03&amp;tz=UTC" download>Download Report (PDF)</a>'
    ) in page
    # the engagement table, searched or sorted, swaps in the link of its order and search
    table = client.get(ROOM + "/panels/engagement", params={**DAY, "search": "Lid"}).text
    assert (
        '<a id="download-report" class="screen-only" hx-swap-oob="true" '
        'href="/analytics/rooms/1_main/summary.pdf?preset=custom&amp;from=2026-08-03'
        '&amp;to=2026-08-03&amp;tz=UTC&amp;order=-live_view_time&amp;search=Lid" download>'
    ) in table
    assert "Interactions as a PDF" not in page  # no longer "coming"
    fragment = client.get(ROOM + "/panels/interactions", params={**DAY, "session": "s1"}).text
    assert (
        '<a href="/analytics/rooms/1_main/interactions.pdf?preset=custom&amp;from=2026-08-03'
        '&amp;to=2026-08-03&amp;tz=UTC&amp;session=s1" download>PDF of all questions and answers'
    ) in fragment
    channel = client.get("/analytics/categories/5", params=DAY).text
    assert 'href="/analytics/categories/5/summary.pdf?preset=custom' in channel


# Who may have a PDF: the pages' rules, answered as a download (as a JSON twin)


def test_without_a_session_a_pdf_answers_401(client: TestClient) -> None:
    client.cookies.clear()
    for url in (ROOM + "/summary.pdf", ROOM + "/interactions.pdf"):
        answer = client.get(url, params=DAY)
        assert answer.status_code == 401
        assert answer.json()["error"]["message"] == "sign in, or send ?ks= with a KS"


def test_a_ks_link_answers_the_pdf_directly(client: TestClient, school: Store) -> None:
    client.cookies.clear()
    answer = client.get(ROOM + "/summary.pdf", params={**DAY, "ks": make_ks(school)})
    assert "Biology 101" in _text(_read(answer))
    assert "set-cookie" not in answer.headers  # a download, not a sign-in


@pytest.mark.parametrize("what", ["summary.pdf", "interactions.pdf"])
def test_a_limited_session_gets_no_other_rooms_pdf(
    client: TestClient, school: Store, what: str
) -> None:
    signed_in(client, school, "sview:1_other")
    answer = client.get(f"{ROOM}/{what}", params=DAY)
    assert answer.status_code == 403
    assert answer.json()["error"]["message"] == "Your sign-in does not cover this room."
    assert client.get(f"/analytics/rooms/1_other/{what}", params=DAY).status_code == 200
    channel = client.get("/analytics/categories/5/summary.pdf", params=DAY)
    assert channel.status_code == 403


@pytest.mark.parametrize(
    ("url", "params", "status", "words"),
    [
        ("/analytics/rooms/1_nothing/summary.pdf", DAY, 404, "There is no room"),
        ("/analytics/rooms/2_room/interactions.pdf", DAY, 404, "There is no room"),  # 102's
        ("/analytics/categories/9/summary.pdf", DAY, 404, "There is no category"),
        (ROOM + "/summary.pdf", {**DAY, "session": "nope"}, 404, "no such session"),
        (ROOM + "/summary.pdf", {**DAY, "from": "2026-02-30"}, 400, "YYYY-MM-DD"),
        (ROOM + "/summary.pdf", {**DAY, "tz": "Mars/Olympus"}, 400, "unknown time zone"),
        (ROOM + "/summary.pdf", {**DAY, "order": "email"}, 400, "ordered by"),
        (ROOM + "/summary.pdf", {**DAY, "search": "x" * 65}, 400, "at most 64"),
        ("/analytics/categories/5/summary.pdf", {"preset": "9"}, 400, "unknown preset"),
        (ROOM + "/interactions.pdf", {**DAY, "to": "yesterday"}, 400, "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_refused_before_any_layout(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    params: dict[str, str],
    status: int,
    words: str,
) -> None:
    def never(html: str, css: str) -> bytes:
        raise AssertionError("laid out a PDF for a question that cannot be answered")

    monkeypatch.setattr(pdf, "_layout", never)
    answer = client.get(url, params=params)
    assert answer.status_code == status
    assert answer.json()["error"]["status"] == status and words in answer.json()["error"]["message"]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.text(max_size=40),
    search=st.text(max_size=80),
    tz=st.text(max_size=30),
    session=st.text(max_size=20),
)
def test_free_form_input_never_answers_a_5xx(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    order: str,
    search: str,
    tz: str,
    session: str,
) -> None:
    monkeypatch.setattr(pdf, "_layout", lambda html, css: b"%PDF-")  # the input is the point here
    params = {**DAY, "order": order, "search": search, "tz": tz, "session": session}
    answer = client.get(ROOM + "/summary.pdf", params=params)
    assert answer.status_code in (200, 400, 404), answer.text
    if answer.status_code != 200:
        assert answer.json()["error"]["message"]


def test_weasyprint_failing_is_a_clear_503(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import weasyprint

    def broken(**_: object) -> None:
        raise RuntimeError("a layout bug")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    answer = client.get(ROOM + "/summary.pdf", params=DAY)
    assert answer.status_code == 503
    assert answer.json()["error"]["message"] == pdf.FAILED
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it (or pango) were missing
    answer = client.get(ROOM + "/interactions.pdf", params=DAY)
    assert answer.status_code == 503
    assert answer.json()["error"]["message"] == pdf.UNAVAILABLE
    assert "pango" in pdf.UNAVAILABLE


def test_reports_are_laid_out_one_at_a_time(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "WAIT", 0.1)
    with pdf._ONE:  # another report being laid out, for longer than one waits
        answer = client.get(ROOM + "/interactions.pdf", params=DAY)
    assert answer.status_code == 429
    assert answer.json()["error"]["message"] == pdf.BUSY
    assert client.get(ROOM + "/interactions.pdf", params=DAY).status_code == 200
