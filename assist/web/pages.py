"""The panel and studio pages, the sign-in form, and the static files they load.

Pages are shells: every piece of data reaches them through the same /v1 API that other
clients use, with the session cookie and the CSRF token the page carries.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from assist import __version__
from assist.access import (
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    Principal,
    fingerprint,
    role_at_least,
    tokens_match,
)
from assist.api.deps import session_principal
from assist.errors import CsrfFailed, NotFound, NotReady, RoleNotAllowed
from assist.knowledge.records import FaqEntry
from assist.settings import Role, Settings
from assist.web.i18n import STRINGS, pick_language

HERE = Path(__file__).parent
PAGES: dict[str, Role] = {"/panel": "agent", "/studio": "lead"}
# Pages render with autoescape on: server-side values are escaped, user text is only
# ever put in by the scripts with textContent.
_env = Environment(
    loader=FileSystemLoader(str(HERE / "templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    settings: Settings = app.state.settings

    @app.get("/favicon.ico", include_in_schema=False, response_model=None)
    def favicon() -> Response:
        # Browsers ask for it on every page, JSON ones too; nothing to show, nothing to log.
        return Response(status_code=204)

    @app.get("/panel", include_in_schema=False, response_model=None)
    def panel(request: Request) -> Response:
        return _page(request, settings, "/panel", "panel.html")

    @app.get("/studio", include_in_schema=False, response_model=None)
    def studio(request: Request) -> Response:
        return _page(request, settings, "/studio", "studio.html")

    @app.get("/panel/{collection}/{record_id}", include_in_schema=False, response_model=None)
    def entry(request: Request, collection: str, record_id: str) -> Response:
        return _entry(request, settings, collection, record_id)

    @app.post("/ui/login", include_in_schema=False, response_model=None)
    async def login(request: Request) -> Response:
        form = _form(await request.body())
        target = _safe_next(form.get("next", "/panel"))
        nonce = request.cookies.get(PRELOGIN_COOKIE, "")
        sessions = request.app.state.sessions
        if not nonce or not tokens_match(form.get("csrf"), sessions.login_token(nonce)):
            raise CsrfFailed("The sign-in form expired; reload the page")
        role = request.app.state.keys.role_for_key(form.get("key", ""))
        if role is None:
            return _login(request, settings, target, error=True)
        cookie, _csrf = sessions.issue(fingerprint(form.get("key", "")))
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            max_age=int(settings.session_hours * 3600),
            httponly=True,
            samesite=settings.session_cookie_samesite,
            secure=settings.session_cookie_samesite == "none" or request.url.scheme == "https",
            path="/",
        )
        response.delete_cookie(PRELOGIN_COOKIE, path="/ui/")
        return response

    @app.post("/ui/logout", include_in_schema=False, response_model=None)
    async def logout(request: Request) -> Response:
        principal = session_principal(request)
        form = _form(await request.body())
        if principal is not None and not tokens_match(form.get("csrf"), principal.csrf):
            raise CsrfFailed("Sign out from the page itself")
        response = RedirectResponse(_safe_next(form.get("next", "/panel")), status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


def _page(request: Request, settings: Settings, path: str, template: str) -> Response:
    principal = session_principal(request)
    if principal is None:
        return _login(request, settings, _with_query(request, path))
    if not role_at_least(principal.role, PAGES[path]):
        raise RoleNotAllowed(f"{path} needs the {PAGES[path]} role; this key has {principal.role}")
    lang = _language(request, settings)
    html = _env.get_template(template).render(
        t=STRINGS[lang],
        lang=lang,
        version=__version__,
        config=_config(request, settings, principal, lang),
        csrf=principal.csrf,
        next=_with_query(request, path),
    )
    return HTMLResponse(html)


def _entry(request: Request, settings: Settings, collection: str, record_id: str) -> Response:
    """A FAQ entry or backlog task as a readable page, for the panel's links."""
    principal = session_principal(request)
    path = f"/panel/{collection}/{record_id}"
    if principal is None:
        return _login(request, settings, path)
    if not role_at_least(principal.role, "agent"):
        raise RoleNotAllowed(f"this page needs the agent role; this key has {principal.role}")
    if collection not in ("faq", "backlog"):
        raise NotFound(f"No such collection: {collection}")
    services = request.app.state.services
    if services is None:
        raise NotReady("The knowledge base is still loading")
    record = services.knowledge.repository(collection).get(record_id)
    if record is None:
        raise NotFound(f"{collection} record {record_id} does not exist")
    lang = _language(request, settings)
    t = STRINGS[lang]
    if isinstance(record, FaqEntry):
        heading = record.question
        fields: list[tuple[str, str | list[str]]] = [
            (t["entry_answer"], record.answer),
            (t["entry_alt_questions"], list(record.alt_questions)),
            (t["entry_tags"], list(record.tags)),
        ]
    else:
        heading = record.title
        fields = [
            (t["entry_description"], record.description),
            (t["entry_status"], f"{record.kind} · {record.status}"),
            (t["entry_watchers"], list(record.watchers)),
        ]
    html = _env.get_template("entry.html").render(
        t=t, lang=lang, version=__version__, record=record, heading=heading, fields=fields
    )
    return HTMLResponse(html)


def _login(request: Request, settings: Settings, target: str, *, error: bool = False) -> Response:
    lang = _language(request, settings)
    nonce = request.cookies.get(PRELOGIN_COOKIE) or secrets.token_urlsafe(16)
    html = _env.get_template("login.html").render(
        t=STRINGS[lang],
        lang=lang,
        version=__version__,
        csrf=request.app.state.sessions.login_token(nonce),
        next=target,
        error=error,
    )
    # 200, not 401: the form is the page asked for, and browsers log a 401 as an error.
    response = HTMLResponse(html)
    response.set_cookie(
        PRELOGIN_COOKIE, nonce, max_age=3600, httponly=True, samesite="lax", path="/ui/"
    )
    return response


def _config(request: Request, settings: Settings, principal: Principal, lang: str) -> Any:
    own = f"{request.url.scheme}://{request.url.netloc}"
    return {
        "csrf": principal.csrf,
        "role": principal.role,
        "lang": lang,
        "languages": settings.languages,
        # Who may receive the chosen text: the pages allowed to embed the panel.
        "hostOrigins": host_origins(settings.frame_ancestors, own),
        "strings": STRINGS[lang],
    }


def host_origins(frame_ancestors: str, own: str) -> list[str]:
    """`frame-ancestors` sources as origin patterns the panel's script can match."""
    found: list[str] = []
    for source in frame_ancestors.split():
        if source == "'self'":
            found.append(own)
        elif "://" in source:
            found.append(source.rstrip("/"))
    return found


def _language(request: Request, settings: Settings) -> str:
    return pick_language(
        request.query_params.get("lang"),
        request.headers.get("accept-language", ""),
        settings.languages,
    )


def _with_query(request: Request, path: str) -> str:
    query = request.url.query
    return f"{path}?{query}" if query else path


def _safe_next(target: str) -> str:
    """Only our own pages: a sign-in must not become a redirect to somewhere else."""
    if any(target == page or target.startswith(page + "?") for page in PAGES):
        return target
    return "/panel"


def _form(body: bytes) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
