"""Signing in: the form (partner id and admin secret), the KS link (``?ks=`` on any dashboard
URL) and signing out, and finding the viewer of a request from its session cookie.

The forms are CSRF-safe twice over: the session cookie is SameSite=Lax (another site's form
posts without it), and each form carries a token that only this server can derive from a cookie
of this browser (the session cookie, or before sign-in a random one), compared on receipt.
"""

from __future__ import annotations

import hmac
import secrets
import time
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from vantage.access.directory import Directory
from vantage.api.auth import by_secret
from vantage.api.errors import ApiError
from vantage.config import Settings
from vantage.web import errors, render
from vantage.web.cookies import CSRF_COOKIE, SESSION_COOKIE, Signer
from vantage.web.errors import WebError
from vantage.web.viewer import Refused, Viewer, from_ks, partner_wide

HOME = "/analytics"
SIGN_IN = "/analytics/sign-in"
COOKIE_PATH = "/"  # "/analytics" would not cover /analytics.json (RFC 6265 path match)


class Gate:
    """Sign-in and sign-out, and the viewer of each request."""

    def __init__(self, settings: Settings, directory: Directory) -> None:
        self._settings = settings
        self._directory = directory
        self.signer = Signer(settings.web_session_key)

    def viewer(self, request: Request) -> Viewer | None:
        """The signed-in viewer, from the session cookie; None when there is none (or it
        expired, or its signature is wrong, or its partner is gone or blocked since: the
        cookie is checked against the directory on every request, as a KS is)."""
        value = request.cookies.get(SESSION_COOKIE, "")
        payload = self.signer.unsign(value, int(time.time())) if value else None
        viewer = Viewer.from_payload(payload) if payload is not None else None
        if viewer is None:
            return None
        partner = self._directory.partner(viewer.partner_id)
        return viewer if partner is not None and partner.status != "blocked" else None

    def from_link(self, request: Request) -> Viewer:
        """The viewer a ``?ks=`` link signs in (WebError when the KS is refused)."""
        try:
            return from_ks(
                request.query_params["ks"],
                request,
                self._directory,
                self._settings.web_session_minutes,
            )
        except Refused as exc:
            raise WebError(exc.status, exc.message) from None

    def open_session(self, response: Response, request: Request, viewer: Viewer) -> Response:
        response.set_cookie(
            SESSION_COOKIE,
            self.signer.sign(viewer.payload()),
            max_age=max(viewer.expires - int(time.time()), 0),
            path=COOKIE_PATH,
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="lax",
        )
        return response

    def csrf_token(self, cookie: str) -> str:
        """The token a form must carry: the cookie's MAC, which another site cannot work out."""
        return self.signer.mac("csrf:" + cookie)

    def csrf_ok(self, request: Request, sent: str, cookie_name: str) -> bool:
        cookie = request.cookies.get(cookie_name, "")
        # as bytes: compare_digest refuses text that is not ASCII (a hostile form's token)
        expected = self.csrf_token(cookie).encode()
        return bool(cookie) and hmac.compare_digest(sent.encode("utf-8", "replace"), expected)

    # The routes

    def form(self, request: Request) -> Response:
        nonce = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
        response = self._form(request, nonce, None, 200)
        response.set_cookie(CSRF_COOKIE, nonce, path=COOKIE_PATH, httponly=True, samesite="strict")
        return response

    def _form(self, request: Request, nonce: str, problem: str | None, status: int) -> Response:
        return render.page(
            "signin.html",
            status,
            csrf=self.csrf_token(nonce),
            next=safe_next(request.query_params.get("next", "")),
            problem=problem,
        )

    async def sign_in(self, request: Request) -> Response:
        form = await request.form()
        nonce = request.cookies.get(CSRF_COOKIE, "")
        if not self.csrf_ok(request, str(form.get("csrf", "")), CSRF_COOKIE):
            return self._form(request, nonce or secrets.token_urlsafe(24), STALE, 403)
        try:
            partner_id = int(str(form.get("partner_id", "")).strip())
            partner = by_secret(
                partner_id,
                str(form.get("secret", "")),
                request.client.host if request.client else "",
                self._directory,
                self._settings,
            )
        except ValueError:
            return self._form(request, nonce, "The partner id is a number.", 400)
        except ApiError as exc:
            return self._form(
                request, nonce, _SECRET_PROBLEMS.get(exc.status, exc.message), exc.status
            )
        viewer = partner_wide(partner.id, self._settings.web_session_minutes)
        target = safe_next(str(form.get("next", ""))) or HOME
        return self.open_session(RedirectResponse(target, 303), request, viewer)

    async def sign_out(self, request: Request) -> Response:
        form = await request.form()
        if not self.csrf_ok(request, str(form.get("csrf", "")), SESSION_COOKIE):
            return errors.answer(WebError(403, STALE), as_json=False)
        response = RedirectResponse(SIGN_IN, 303)
        response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
        return response


STALE = "The form was stale or came from another site; please try again."
_SECRET_PROBLEMS = {
    401: "Unknown partner or wrong admin secret.",
    429: "Too many wrong secrets; try again in a minute.",
}


def safe_next(target: str) -> str:
    """``target`` if it is a dashboard path of this server, else '' (no open redirect)."""
    ok = target.startswith(HOME + "/") and not target.startswith("//") and "\\" not in target
    return target if ok and "://" not in target else ""


def sign_in_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGN_IN}?{urlencode({'next': here})}"
