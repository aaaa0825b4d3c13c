"""The list page is one form: a note typed and not yet saved is kept whichever button the nurse presses (share,
sheet, move, remove). And the large print sheet, page and PDF, is set in 16 point type or more (RNIB)."""

from __future__ import annotations

import io
import math

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader

from tests.signposting.conftest import add, get, names_on, post, shared_count

NOTE = "Ring the helpline on Monday morning."
LARGE_PRINT_POINTS = 16  # RNIB's clear print guidance: 16 to 18 point for large print


def test_a_note_typed_before_making_the_share_link_is_on_the_shared_list(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    made = post(client, "/list/update", note=NOTE, action="share")
    assert made.status_code == 303 and made.headers["location"] == "/list#share-heading"
    path = get(client, "/list").select_one(".share-link")["href"]
    assert NOTE in get(client, str(path)).get_text()
    assert get(client, "/list").find("textarea", id="note").get_text() == NOTE


def test_a_note_typed_before_moving_removing_or_opening_the_sheet_is_kept(stocked: FastAPI, client: TestClient) -> None:
    for service_id in ("uk-helpline", "leeds-centre", "wales-line"):
        add(client, service_id)
    assert post(client, "/list/update", note="first", action="up:leeds-centre").headers["location"] == (
        "/list#shortlist-leeds-centre")  # fmt: skip
    assert names_on(get(client, "/list"))[:2] == ["Leeds Centre", "UK Helpline"]
    post(client, "/list/update", note="second", action="remove:wales-line")
    assert names_on(get(client, "/list")) == ["Leeds Centre", "UK Helpline"]
    assert post(client, "/list/update", note="third", action="sheet-large").headers["location"] == (
        "/list/sheet?size=large")  # fmt: skip
    assert "third" in get(client, "/list/sheet?size=large").get_text()
    assert get(client, "/list").find("textarea", id="note").get_text() == "third"


def test_a_note_too_long_is_refused_before_anything_is_shared(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    refused = post(client, "/list/update", note="x" * 1001, action="share")
    assert refused.status_code == 422 and shared_count(stocked) == 0
    page = get(client, "/list")  # the stored list is unchanged
    assert page.find("textarea", id="note").get_text() == ""
    assert 'aria-invalid="true"' in refused.text and "x" * 1001 in refused.text  # what was typed is kept


def test_an_unknown_button_is_refused_with_a_message(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    refused = post(client, "/list/update", note=NOTE, action="explode")
    assert refused.status_code == 400 and "Choose one of the buttons" in refused.text


def pdf_font_sizes(content: bytes) -> set[float]:
    sizes: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.add(round(size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 1))

    for page in PdfReader(io.BytesIO(content)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_the_large_print_sheet_has_no_text_under_16_point(stocked: FastAPI, client: TestClient) -> None:
    for service_id in ("uk-helpline", "leeds-centre", "wales-line"):
        add(client, service_id)
    post(client, "/list/update", note=NOTE, action="share")
    path = str(get(client, "/list").select_one(".share-link")["href"])
    listed = get(client, "/list")
    assert listed.find("a", string="Open the large print sheet to print")["href"] == f"{path}/sheet?size=large"
    large = client.get(f"{path}/sheet.pdf?size=large")
    assert large.status_code == 200 and "large-print" in large.headers["content-disposition"]
    assert min(pdf_font_sizes(large.content)) >= LARGE_PRINT_POINTS
    assert min(pdf_font_sizes(client.get(f"{path}/sheet.pdf").content)) < LARGE_PRINT_POINTS  # the standard one
    text = " ".join(PdfReader(io.BytesIO(large.content)).pages[0].extract_text().split())  # lines wrap by font
    assert "UK Helpline" in text and "01632 960100" in text and NOTE in text
    page = get(client, f"{path}/sheet?size=large")
    assert page.html.get("class") == ["large-print"] and page.find("a", string="Standard print sheet")
