"""The share link follows the address the service really runs on: `python main.py` with PORT=8123 and no
PUBLIC_BASE_URL gives share links, QR codes, e-mail and text messages that point at port 8123, not a default."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pypdfium2
import zxingcpp
from bs4 import BeautifulSoup

from directory.signposting.sheets import qr_code_svg
from tests.served import served

SERVICE = "macmillan-support-line"


def csrf_of(client: httpx.Client, path: str) -> str:
    found = BeautifulSoup(client.get(path).text, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert found is not None
    return str(found["value"])


def test_share_link_qr_code_and_text_use_the_port_the_service_runs_on(tmp_path: Path) -> None:
    with served(f"sqlite:///{tmp_path / 'port.db'}", tmp_path, port=8123, PUBLIC_BASE_URL="") as server:
        port = server.url.rsplit(":", 1)[1]
        with httpx.Client(base_url=server.url, timeout=30, follow_redirects=True) as client:
            token = csrf_of(client, f"/services/{SERVICE}")
            assert client.post("/list/add", data={"csrf_token": token, "service_id": SERVICE}).status_code == 200
            page = client.post("/list/update", data={"csrf_token": token, "note": "Call on Monday.",
                                                     "action": "share"})  # fmt: skip
            soup = BeautifulSoup(page.text, "html.parser")
            link = soup.find("a", class_="share-link").get_text()
            sheet = client.get(f"{soup.find('a', class_='share-link')['href']}/sheet").text
            text = client.get(f"{soup.find('a', class_='share-link')['href']}/text").text
            pdf = client.get(f"{soup.find('a', class_='share-link')['href']}/sheet.pdf").content
    assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/l/[0-9A-Z]{{4}}-[0-9A-Z]{{4}}-[0-9A-Z]{{4}}", link), link
    assert qr_code_svg(link) in page.text and qr_code_svg(link) in sheet  # the QR code holds exactly that link
    sms = soup.find("a", string="Send the link by text message")["href"]
    mailto = soup.find("a", string="Send the link by e-mail")["href"]
    assert httpx.URL(link).port == int(port) and port in sms and port in mailto
    assert link in text and "Call on Monday." in text
    scanned = pypdfium2.PdfDocument(pdf)[0].render(scale=4).to_pil()
    assert [barcode.text for barcode in zxingcpp.read_barcodes(scanned)] == [link]  # a phone camera opens port 8123
