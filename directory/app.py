"""The application factory: settings in, a configured FastAPI app out. Nothing here runs at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlmodel import Session, func, select
from starlette.middleware.gzip import GZipMiddleware

from directory import db, startup
from directory.api import docs as api_docs
from directory.api import openapi as api_openapi
from directory.api.responses import CorsMiddleware
from directory.csrf import CSRFCookieMiddleware
from directory.geography import gazetteer
from directory.guard import RequestGuardMiddleware
from directory.guide import pages as guide_pages
from directory.listings import api as listings_api
from directory.listings import importer, timetable
from directory.listings import pages as listings_pages
from directory.listings.models import Service
from directory.moderation import api as moderation_api
from directory.moderation import confirmation_pages, listing_pages, review_pages, submission_pages, suggestions_api
from directory.openreferral import api as openreferral_api
from directory.search import api as search_api
from directory.search import index as search_index
from directory.search import pages as search_pages
from directory.security import PathOnlyAccessLogMiddleware, SecurityHeadersMiddleware
from directory.settings import DEVELOPMENT_SECRET, PROJECT_ROOT, Settings, get_settings
from directory.signposting import pages as signposting_pages
from directory.site import pages as site_pages
from directory.web.errors import UnexpectedErrorMiddleware, error_response, install_error_handlers
from directory.web.head import HeadAsGetMiddleware
from directory.web.rendering import make_templates

log = logging.getLogger(__name__)


def prepare_database(settings: Settings, engine: Engine) -> None:
    """Check what the service needs (startup.py), upgrade the schema; on first start import the bundled data."""
    gazetteer.check_files()
    startup.check_database(settings.database_url, engine)
    if not settings.import_bundled_data or not settings.bundled_data_path.exists():
        return
    with db.session_scope(engine) as session:
        if session.exec(select(func.count()).select_from(Service)).one() == 0:
            report = importer.import_file(session, settings.bundled_data_path)
            log.info("Imported the bundled data: %s", report.summary())


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = db.make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.secret_key == DEVELOPMENT_SECRET:
            log.warning("SECRET_KEY is the development placeholder: anyone can forge links. Set SECRET_KEY.")
        if settings.environment == "production" and not settings.public_base_url:
            log.warning("PUBLIC_BASE_URL is not set: share links and QR codes use the address each request came to.")
        prepare_database(settings, engine)
        with Session(engine) as session:  # the first search then finds it built
            search_index.current(session)
        yield
        engine.dispose()

    app = FastAPI(
        title="Secondary Breast Cancer Support Directory",
        description="Find UK support for people living with secondary breast cancer, and the people around them.",
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.clock = lambda: datetime.now(timetable.UK)  # "open now" and "next" use UK time; tests freeze it
    app.state.templates = make_templates(
        settings,
        globals_=listings_pages.TEMPLATE_GLOBALS | search_pages.TEMPLATE_GLOBALS | guide_pages.TEMPLATE_GLOBALS
        | submission_pages.TEMPLATE_GLOBALS,
        filters=search_pages.TEMPLATE_FILTERS | listings_pages.TEMPLATE_FILTERS,
    )  # fmt: skip
    _add_middleware(app, settings)
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")
    install_error_handlers(app)
    api_openapi.install(app)
    _add_routes(app)
    return app


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    # Added innermost first: the last one added sees the request first.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(CSRFCookieMiddleware, secure=settings.public_base_url.startswith("https://"))
    app.add_middleware(RequestGuardMiddleware, reject=error_response)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(CorsMiddleware)
    # JSON and pages over 1 KB go compressed (forms' CSRF tokens are masked per page: see csrf.py), at zlib's
    # default level: a results page (60 KB) comes to 5.1 KB in 0.7 ms, against 5.1 KB in 0.9 ms at the most.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    app.add_middleware(PathOnlyAccessLogMiddleware)
    app.add_middleware(HeadAsGetMiddleware)


def _add_routes(app: FastAPI) -> None:
    """Every feature's routes, in an order where no route shadows another."""
    for module in (site_pages, guide_pages, search_pages, listings_pages):
        app.include_router(module.router)
    for module in (openreferral_api, search_api, listings_api, suggestions_api, api_docs):
        app.include_router(module.router)
    signposting_pages.install(app)
    for module in (submission_pages, confirmation_pages, listing_pages, moderation_api):
        app.include_router(module.router)
    app.include_router(review_pages.public_router)
    app.include_router(review_pages.router)
    review_pages.install_login_redirect(app)


def session_for(app: FastAPI) -> Session:
    """A session on the app's own database, for scripts and tests."""
    return Session(app.state.engine)
