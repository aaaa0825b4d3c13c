"""The shortlist, support sheet and share links through the real app, pages parsed with a real HTML parser."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pypdfium2
import pytest
import zxingcpp
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from pypdf import PdfReader
from sqlmodel import Session, func, select

from directory import db
from directory.listings.models import Service
from directory.signposting.models import SharedList
from tests.conftest import add_listings, centre_row, listing_row

HOSTILE = "<script>alert('x')</script>\"quoted\" & 'single'"
BASE = "http://127.0.0.1:8000"  # PUBLIC_BASE_URL's default, which share links use


def soup_of(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def get(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return soup_of(response)


def token(client: TestClient) -> str:
    """A CSRF token, read from a form as a browser would."""
    for page in ("/list", "/services"):
        field = get(client, page).find("input", attrs={"name": "csrf_token"})
        if field is not None:
            return str(field["value"])
    raise AssertionError("no page with a form to read a token from")


def post(client: TestClient, url: str, **data: str) -> Response:
    return client.post(url, data={"csrf_token": token(client)} | data, follow_redirects=False)


def add(client: TestClient, service_id: str, return_to: str = "/list") -> Response:
    response = post(client, "/list/add", service_id=service_id, return_to=return_to)
    assert response.status_code == 303, response.text[:500]
    return response


def names_on(soup: BeautifulSoup, selector: str = ".shortlist__name") -> list[str]:
    return [element.get_text(" ", strip=True) for element in soup.select(selector)]


def shared_count(app: FastAPI) -> int:
    with Session(app.state.engine) as session:
        return session.exec(select(func.count()).select_from(SharedList)).one()


def share(client: TestClient) -> str:
    """Save the list; the path of its share link, e.g. /l/7KX3-9QFD-2MWA."""
    assert post(client, "/list/share").headers["location"] == "/list#share-heading"
    return str(get(client, "/list").select_one(".share-link")["href"])


@pytest.fixture
def stocked(app: FastAPI) -> FastAPI:
    add_listings(
        app,
        listing_row(id="uk-helpline", name="UK Helpline", phone="01632 960100"),
        centre_row(id="leeds-centre", name="Leeds Centre", phone="01632 960101", postcode="LS1 3EX"),
        listing_row(id="wales-line", name="Wales Line", phone="01632 960102", service_area="wales", referral="professional"),
    )  # fmt: skip
    return app


def test_every_search_result_browse_card_and_service_page_offers_add_to_list(
    stocked: FastAPI, client: TestClient
) -> None:
    for url in (
        "/search?location=LS1+3EX",
        "/search?location=LS1&view=compact",
        "/services",
        "/services/uk-helpline",
    ):
        soup = get(client, url)
        forms = soup.select('form[action="/list/add"]')
        assert forms, url
        for form in forms:
            assert form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"})["value"]
            assert form.find("input", attrs={"name": "return_to"})["value"] == url
            button = form.find("button")
            assert button.get_text(" ", strip=True).startswith("Add to list")


def test_adding_goes_back_to_the_same_page_and_counts_in_the_header(stocked: FastAPI, client: TestClient) -> None:
    assert get(client, "/").select_one('a[href="/list"]').get_text(" ", strip=True) == "Your list (0 services )"
    response = add(client, "leeds-centre", return_to="/search?location=LS1+3EX&radius=25")
    assert response.headers["location"] == "/search?location=LS1+3EX&radius=25#shortlist-leeds-centre"
    soup = get(client, "/search?location=LS1+3EX&radius=25")
    assert soup.select_one('a[href="/list"]').get_text(" ", strip=True).startswith("Your list (1")
    marker = soup.find(id="shortlist-leeds-centre")
    assert "In your list" in marker.get_text(" ", strip=True) and marker.find("form") is None
    assert soup.find(id="shortlist-uk-helpline").find("form") is not None


@pytest.mark.parametrize(
    "return_to",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "javascript:alert(1)",
        "search",
        "/a\r\nb",
    ],
)
def test_the_way_back_is_only_ever_a_path_on_this_site(stocked: FastAPI, client: TestClient, return_to: str) -> None:
    assert add(client, "uk-helpline", return_to=return_to).headers["location"] == "/list#shortlist-uk-helpline"


def test_the_cookie_is_signed_http_only_same_site_and_holds_no_patient_details(
    stocked: FastAPI, client: TestClient
) -> None:
    cookie = add(client, "uk-helpline").headers["set-cookie"]
    assert cookie.startswith("shortlist=") and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie  # gone when the browser closes


def test_a_nurse_can_remove_and_reorder(stocked: FastAPI, client: TestClient) -> None:
    for service_id in ("uk-helpline", "leeds-centre", "wales-line"):
        add(client, service_id)
    soup = get(client, "/list")
    assert names_on(soup) == ["UK Helpline", "Leeds Centre", "Wales Line"]
    first, last = soup.select(".shortlist__item")[0], soup.select(".shortlist__item")[-1]
    assert not first.find("button", string="Move up") and not last.find(string="Move down")
    assert post(client, "/list/move", service_id="wales-line", direction="up").headers["location"] == (
        "/list#shortlist-wales-line"
    )
    post(client, "/list/move", service_id="uk-helpline", direction="down")
    assert names_on(get(client, "/list")) == ["Wales Line", "UK Helpline", "Leeds Centre"]
    post(client, "/list/remove", service_id="uk-helpline")
    assert names_on(get(client, "/list")) == ["Wales Line", "Leeds Centre"]
    post(client, "/list/clear")
    assert "Your list is empty" in get(client, "/list").get_text()


def test_the_note_is_kept_and_shown_safely(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    assert post(client, "/list/note", note=f"Ring on Monday.\r\n{HOSTILE}").status_code == 303
    response = client.get("/list")
    assert "<script>alert" not in response.text
    assert get(client, "/list").find("textarea", id="note").get_text() == f"Ring on Monday.\n{HOSTILE}"


def test_a_note_over_1000_characters_is_refused_and_nothing_changes(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    post(client, "/list/note", note="The first note.")
    cookie = client.cookies.get("shortlist")
    too_long = "z" * 1001
    response = post(client, "/list/note", note=too_long)
    assert response.status_code == 422 and "set-cookie" not in response.headers
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Error:")
    summary = soup.select_one(".error-summary")
    assert "The note must be 1,000 characters or fewer. It has 1,001." in summary.get_text()
    assert summary.find("a")["href"] == "#note"
    assert soup.find(id="note-error") is not None
    assert soup.find("textarea", id="note").get_text() == too_long  # what was typed is kept
    assert client.cookies.get("shortlist") == cookie
    assert get(client, "/list").find("textarea", id="note").get_text() == "The first note."


def test_a_thirty_first_service_is_refused_and_nothing_changes(app: FastAPI, client: TestClient) -> None:
    add_listings(app, *[listing_row(id=f"line-{number:02d}", name=f"Line {number:02d}") for number in range(31)])
    for number in range(30):
        add(client, f"line-{number:02d}")
    cookie = client.cookies.get("shortlist")
    response = post(client, "/list/add", service_id="line-30", return_to="/services")
    assert response.status_code == 422 and "set-cookie" not in response.headers
    assert "Your list already has 30 services, the most a list can hold." in soup_of(response).main.get_text()
    assert client.cookies.get("shortlist") == cookie
    soup = get(client, "/list")
    assert len(names_on(soup)) == 30 and "Line 30" not in names_on(soup)
    assert soup.select_one('a[href="/list"]').get_text(" ", strip=True).startswith("Your list (30")


def test_a_tampered_cookie_is_refused_and_the_list_starts_again(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    csrf = token(client)
    genuine = client.cookies.get("shortlist")
    payload, signature = genuine.rsplit(".", 1)
    domain = next(cookie.domain for cookie in client.cookies.jar if cookie.name == "shortlist")
    requests = [("get", "/list", {}), ("get", "/list/sheet", {}), ("post", "/list/share", {"csrf_token": csrf}),
                ("post", "/list/add", {"csrf_token": csrf, "service_id": "wales-line"}),
                ("post", "/list/note", {"csrf_token": csrf, "note": "A new note"})]  # fmt: skip
    for method, url, data in requests:
        client.cookies.set("shortlist", f"{payload}.{signature[::-1]}", domain=domain)
        response = client.request(method, url, data=data or None, follow_redirects=False)
        assert response.status_code == 400, url
        assert "Your list could not be read" in soup_of(response).main.get_text()
        assert "We have started a new, empty list for you." in soup_of(response).main.get_text()
        assert 'shortlist=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert shared_count(stocked) == 0
    assert client.cookies.get("shortlist") is None
    assert "Your list is empty" in get(client, "/list").get_text()


def test_other_pages_still_work_with_a_tampered_cookie(stocked: FastAPI, client: TestClient) -> None:
    client.cookies.set("shortlist", "not-a-real-list")
    soup = get(client, "/services")
    assert soup.select_one('a[href="/list"]').get_text(" ", strip=True).startswith("Your list (0")


def test_an_unknown_or_withdrawn_service_cannot_be_added(stocked: FastAPI, client: TestClient) -> None:
    with db.session_scope(stocked.state.engine) as session:
        session.get(Service, "wales-line").status = "withdrawn"  # type: ignore[union-attr]
    for service_id in ("no-such-service", "wales-line"):
        response = post(client, "/list/add", service_id=service_id)
        assert response.status_code == 404 and "set-cookie" not in response.headers
        assert "It may have been removed" in soup_of(response).main.get_text()


def test_changes_without_the_form_token_are_refused(stocked: FastAPI, client: TestClient) -> None:
    client.get("/list")
    response = client.post("/list/add", data={"service_id": "uk-helpline"}, follow_redirects=False)
    assert response.status_code == 403 and "set-cookie" not in response.headers


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
    for fact in ("01632 960101", "Monday to Friday, 9am to 5pm", "https://example.org/helpline",
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
