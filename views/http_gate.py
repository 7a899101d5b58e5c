"""A check in front of Streamlit's HTTP routes (ASGI middleware, installed by serve.py).

Streamlit 1.67 serves a download's ``/media/<hash>.<ext>`` URL to any client that knows it: the media
route checks no session. With accounts on, this middleware answers 403 to a ``/media/`` request that
does not carry a live session cookie (``opsdash_session``, the signed cookie the sign-in sets, checked
against the office store exactly as the pages check it). ``/_stcore/metrics`` (Streamlit's internal
counters) is answered 404 always. Everything else — the page, its static assets, the WebSocket — goes
through untouched: the sign-in card itself must load without a session.

It also sets the session cookie ``HttpOnly``: a page script cannot (Streamlit 1.67 cannot set cookies
either), so the sign-in asks ``exchange_code(token, max_age)`` for a one-time code (random, kept in this
process for CODE_SECONDS) and the page fetches ``/_opsdash/session?code=…``; the answer's Set-Cookie
carries the token with HttpOnly, SameSite=Strict, Path=/ (and Secure over https). Signing out asks a
code for an empty cookie with Max-Age 0. ``installed()`` tells the pages whether this gate is in front
(``streamlit run dashboard.py`` has none: the pages then write the cookie by script, as before).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool

import pipelines
from pipelines.office import accounts, sessions
from pipelines.office.store import OfficeStoreError
from pipelines.settings import SettingsError, load_settings

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

SESSION_PATH = "/_opsdash/session"
CODE_SECONDS = 120.0  # a code not fetched within this many seconds is forgotten
_state: dict[str, Any] = {"installed": False, "codes": {}}
_lock = threading.Lock()


def installed() -> bool:
    """Whether the gate is in front of this process's Streamlit (serve.py)."""
    return bool(_state["installed"])


def exchange_code(token: str, max_age: int) -> str:
    """A one-time code for which /_opsdash/session sets the cookie to token (max_age seconds;
    an empty token with 0 removes it)."""
    code = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        codes = _state["codes"]
        for old in [c for c, (_t, _a, until) in codes.items() if until < now]:
            del codes[old]
        codes[code] = (token, max_age, now + CODE_SECONDS)
    return code


def _take(code: str) -> tuple[str, int] | None:
    """The token and max-age a code stands for, once; None when unknown or expired."""
    with _lock:
        found = _state["codes"].pop(code, None)
    if found is None or found[2] < time.monotonic():
        return None
    return found[0], found[1]


def base_path() -> str:
    """Streamlit's server.baseUrlPath as a path prefix ('' or '/prefix')."""
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _cookie(scope: Scope) -> str | None:
    """The session cookie's value from the request's Cookie headers, or None."""
    for name, value in scope.get("headers", ()):
        if name.lower() != b"cookie":
            continue
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(value.decode("latin-1"))
        except CookieError:
            continue
        if sessions.COOKIE_NAME in jar:
            return jar[sessions.COOKIE_NAME].value
    return None


def media_allowed(token: str | None) -> bool:
    """Whether a /media/ request may be served: no accounts (this computer only, as the pages), or
    a live session; an unreadable office store or settings refuse (fail closed)."""
    db = pipelines.default_db_path()
    try:
        if not accounts.has_accounts(db):
            return True
        if not token:
            return False
        idle = load_settings().session_idle_minutes
        return sessions.resume(db, token, idle) is not None
    except (OfficeStoreError, SettingsError, OSError):
        return False


def _is_https(scope: Scope) -> bool:
    """Whether the browser spoke https (directly, or to a proxy that says so)."""
    if scope.get("scheme") == "https":
        return True
    return any(
        name.lower() == b"x-forwarded-proto" and value.strip().lower() == b"https"
        for name, value in scope.get("headers", ())
    )


async def _set_cookie(scope: Scope, send: Send) -> None:
    """Answer /_opsdash/session?code=…: 204 with the HttpOnly cookie, or 403 for a bad code."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    found = _take((query.get("code") or [""])[0])
    if found is None:
        await _answer(send, 403)
        return
    token, max_age = found
    cookie = f"{sessions.COOKIE_NAME}={token}; Path=/; Max-Age={max_age}; SameSite=Strict; HttpOnly"
    if _is_https(scope):
        cookie += "; Secure"
    headers = [
        (b"set-cookie", cookie.encode("latin-1")),
        (b"cache-control", b"no-store"),
        (b"content-length", b"0"),
    ]
    await send({"type": "http.response.start", "status": 204, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _answer(send: Send, status: int) -> None:
    body = b"Forbidden" if status == 403 else b"Not Found"
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class HttpGate:
    """ASGI middleware: /media/ needs a live session when accounts exist; no /_stcore/metrics."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app
        self.base = base_path()
        _state["installed"] = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse or pass on one request (HTTP only; WebSocket and lifespan pass through)."""
        if scope["type"] == "http":
            path = scope.get("path", "")
            local = path[len(self.base) :] if path.startswith(self.base) else path
            if local.rstrip("/") == "/_stcore/metrics":
                await _answer(send, 404)
                return
            if local == SESSION_PATH:
                await _set_cookie(scope, send)
                return
            if local.startswith("/media/"):
                allowed = await run_in_threadpool(media_allowed, _cookie(scope))
                if not allowed:
                    await _answer(send, 403)
                    return
        await self.app(scope, receive, send)
