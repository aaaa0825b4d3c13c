"""Interactive API documentation at /docs: Swagger UI served from our own address (the `swagger-ui-bundle-v2`
package), with a page of our own that has no inline script or style, so the strict Content-Security-Policy holds."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from directory.errors import NotFound
from directory.web.rendering import render

router = APIRouter(include_in_schema=False)
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    return render(request, "api/docs.html")


@router.get("/docs/assets/{name}")
def docs_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise NotFound(f"There is no file called '{name[:60]}' here.", field="name")
    headers = {"Cache-Control": "public, max-age=86400"}
    return FileResponse(swagger_ui_path / name, media_type=ASSETS[name], headers=headers)
