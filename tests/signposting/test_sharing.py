"""Share links, support sheets (page and PDF) and the plain-text copy of a nurse's list."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pypdfium2
import pytest
import zxingcpp
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pypdf import PdfReader

from directory import db
from directory.listings.models import Service
from tests.signposting.conftest import BASE, add, get, names_on, post, share, shared_count, soup_of


def test_sharing_an_empty_list_is_refused_kindly(stocked: FastAPI, client: TestClient) -> None:
    response = post(client, "/list/share")
    assert response.status_code == 400 and "Add a service to your list before you share it" in response.text
    assert shared_count(stocked) == 0


def test_a_share_link_opens_a_read_only_copy_in_the_same_order(stocked: FastAPI, client: TestClient) -> None:
    for service_id in ("wales-line", "uk-helpline"):
        add(client, service_id)
    post(client, "/list/note", note="Ring Wales Line first.")
    path = share(client)
    code = path.removeprefix("/l/")
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert get(client, "/list").select_one(".share-link").get_text(strip=True) == BASE + path
    soup = get(client, path)
    assert names_on(soup) == ["Wales Line", "UK Helpline"]
    assert "Ring Wales Line first." in soup.select_one(".note").get_text()
    assert not soup.main.select('form[action^="/list"]')  # read-only: nothing on it changes the list
    post(client, "/list/remove", service_id="wales-line")  # the nurse's list moves on; the copy does not
    assert names_on(get(client, path)) == ["Wales Line", "UK Helpline"]
    redirect = client.get(path.lower(), follow_redirects=False)
    assert redirect.status_code == 301 and redirect.headers["location"] == path


def test_any_change_to_a_saved_list_needs_a_new_link(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    first = share(client)
    add(client, "wales-line")
    assert get(client, "/list").select_one(".share-link") is None
    assert share(client) != first and shared_count(stocked) == 2


@pytest.mark.parametrize("path", ["/l/0000-0000-0000", "/l/nonsense", "/l/0000-0000-0000/sheet",
                                  "/l/0000-0000-0000/sheet.pdf", "/l/0000-0000-0000/text"])  # fmt: skip
def test_an_unknown_list_link_is_a_friendly_404(stocked: FastAPI, client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    soup = soup_of(response)
    assert soup.h1.get_text(strip=True) == "Page not found"
    assert "We could not find a list at that address" in soup.main.get_text()


def test_services_removed_since_are_shown_as_no_longer_listed(stocked: FastAPI, client: TestClient) -> None:
    for service_id in ("uk-helpline", "wales-line", "leeds-centre"):
        add(client, service_id)
    path = share(client)
    with db.session_scope(stocked.state.engine) as session:
        session.get(Service, "wales-line").status = "withdrawn"  # type: ignore[union-attr]
        session.delete(session.get(Service, "leeds-centre"))
    for url in ("/list", path):
        soup = get(client, url)
        assert names_on(soup) == ["UK Helpline", "Wales Line", "A service"]
        assert len(soup.find_all(string="No longer listed")) == 2
    for url in ("/list/sheet", f"{path}/sheet"):
        assert get(client, url).get_text(" ").count("No longer listed") == 2
    assert "2. Wales Line (no longer listed in the directory)" in client.get(f"{path}/text").text
    pdf = client.get(f"{path}/sheet.pdf")
    assert pdf.status_code == 200 and "No longer listed" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_the_support_sheet_is_a_page_of_its_own_with_everything_to_get_started(
    stocked: FastAPI, client: TestClient
) -> None:
    for service_id in ("leeds-centre", "wales-line"):
        add(client, service_id)
    post(client, "/list/note", note="Ring on Monday.")
    path = share(client)
    soup = get(client, "/list/sheet")
    assert soup.html["lang"] == "en-GB" and soup.title.get_text(strip=True).startswith("Support sheet")
    assert soup.find("main") is not None and soup.find("nav") is None and soup.select_one(".site-header") is None
    assert [h.get_text(strip=True) for h in soup.select(".sheet__service h2")] == [
        "Leeds Centre",
        "Wales Line",
    ]
    text = soup.get_text(" ", strip=True)
    for fact in ("01632 960101", "Monday to Friday, 9am to 5pm", "example.org/helpline",
                 "1 Example Street, Leeds, LS1 3EX", "Ask a health or care professional to refer you",
                 "Notes from your nurse", "Ring on Monday.", BASE + path):  # fmt: skip
        assert fact in text
    assert text.count("Address") == 1  # only the centre, which people visit in person
    assert "Made on" in text
    assert get(client, f"{path}/sheet").select(".sheet__service h2") == soup.select(".sheet__service h2")
    svg = soup.select_one(".sheet__qr svg")
    assert svg["role"] == "img" and svg.find("title").get_text() == f"QR code for {BASE + path}"
    assert not soup.select("[style]") and not soup.find("script")


def test_the_pdf_holds_names_and_phone_numbers_and_a_qr_code_of_the_share_link(
    stocked: FastAPI, client: TestClient
) -> None:
    for service_id in ("uk-helpline", "leeds-centre", "wales-line"):
        add(client, service_id)
    path = share(client)
    response = client.get(f"{path}/sheet.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="support-sheet-{path[3:]}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for fact in ("UK Helpline", "Leeds Centre", "Wales Line", "01632 960100", "01632 960101", "01632 960102"):
        assert fact in text
    assert text.index("UK Helpline") < text.index("Leeds Centre") < text.index("Wales Line")
    page = pypdfium2.PdfDocument(response.content)[0].render(scale=4).to_pil()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(page)] == [BASE + path]


def test_plain_text_and_send_links_carry_the_share_link(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    path = share(client)
    soup = get(client, "/list")
    plain = soup.find("textarea", id="plain-text")
    assert plain.has_attr("readonly") and soup.find("label", attrs={"for": "plain-text"}) is not None
    assert "1. UK Helpline (Example Charity)" in plain.get_text() and BASE + path in plain.get_text()
    mailto = soup.find("a", string="Send the link by e-mail")["href"]
    sms = soup.find("a", string="Send the link by text message")["href"]
    assert mailto.startswith("mailto:?subject=") and BASE + path in unquote(mailto)
    assert sms.startswith("sms:") and BASE + path in unquote(sms)
    text = client.get(f"{path}/text")
    assert text.headers["content-type"].startswith("text/plain") and text.text == plain.get_text()


def test_an_empty_list_says_how_to_fill_it(stocked: FastAPI, client: TestClient) -> None:
    soup = get(client, "/list")
    assert "Your list is empty" in soup.main.get_text()
    assert soup.main.find("a", href="/search") is not None and soup.find("textarea") is None
