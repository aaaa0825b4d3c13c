"""The home page, the about page and robots.txt."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from directory.web.rendering import render

router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)


@router.get("/")
def home(request: Request) -> HTMLResponse:
    return render(request, "site/home.html")


@router.get("/about")
def about(request: Request) -> HTMLResponse:
    return render(request, "site/about.html")


@router.get("/robots.txt", response_class=PlainTextResponse)
def robots() -> str:
    return "User-agent: *\nDisallow: /search\nDisallow: /moderate\n"
