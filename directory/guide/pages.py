"""The home page, the condition overview and the about page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from directory.errors import NotFound
from directory.guide import overview
from directory.web.rendering import render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
TEMPLATE_GLOBALS = {"OVERVIEW_PAGES": overview.PAGES}


@router.get("/overview")
def overview_contents(request: Request) -> HTMLResponse:
    return render(request, "guide/contents.html", pages=overview.PAGES, last_reviewed=overview.LAST_REVIEWED,
                  next_review=overview.NEXT_REVIEW)  # fmt: skip


@router.get("/overview/{slug}")
def overview_page(request: Request, slug: str) -> HTMLResponse:
    page = overview.find_page(slug)
    if page is None:
        raise NotFound("We could not find that part of the overview.", field="slug")
    index = overview.PAGES.index(page)
    return render(
        request,
        f"guide/{page.slug}.html",
        page=page,
        previous=overview.PAGES[index - 1] if index > 0 else None,
        next=overview.PAGES[index + 1] if index + 1 < len(overview.PAGES) else None,
        last_reviewed=overview.LAST_REVIEWED,
        next_review=overview.NEXT_REVIEW,
    )
