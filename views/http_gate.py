"""A check in front of Streamlit's HTTP routes (ASGI middleware, installed by serve.py).

Streamlit 1.67 serves a download's ``/media/<hash>.<ext>`` URL to any client that knows it: the media
route checks no session. With accounts on, this middleware answers 403 to a ``/media/`` request that
does not carry a live session cookie (``opsdash_session``, the signed cookie the sign-in sets, checked
against the office store exactly as the pages check it). ``/_stcore/metrics`` (Streamlit's internal
counters) is answered 404 always. Everything else — the page, its static assets, the WebSocket — goes
through untouched: the sign-in card itself must load without a session.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any

from starlette.concurrency import run_in_threadpool

import pipelines
from pipelines.office import accounts, sessions
from pipelines.office.store import OfficeStoreError
from pipelines.settings import SettingsError, load_settings

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def _base_path() -> str:
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


async def _answer(send: Send, status: int) -> None:
    body = b"Forbidden" if status == 403 else b"Not Found"
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class HttpGate:
    """ASGI middleware: /media/ needs a live session when accounts exist; no /_stcore/metrics."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app
        self.base = _base_path()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse or pass on one request (HTTP only; WebSocket and lifespan pass through)."""
        if scope["type"] == "http":
            path = scope.get("path", "")
            local = path[len(self.base) :] if path.startswith(self.base) else path
            if local.rstrip("/") == "/_stcore/metrics":
                await _answer(send, 404)
                return
            if local.startswith("/media/"):
                allowed = await run_in_threadpool(media_allowed, _cookie(scope))
                if not allowed:
                    await _answer(send, 403)
                    return
        await self.app(scope, receive, send)
