"""A page that cannot answer says why, with its status: as a page, or as JSON for a twin.
Nothing in the message names what the viewer may not see."""

from __future__ import annotations

from starlette.responses import Response

from vantage.web import render


class WebError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


TITLES = {
    400: "That question cannot be read",
    401: "Please sign in",
    403: "Not yours to see",
    404: "Not found",
    413: "Too long",
    429: "Too many attempts",
    503: "Not available here",
}


def answer(error: WebError, as_json: bool, fragment: bool = False) -> Response:
    """The error as JSON, as a whole page, or as a panel's fragment (which htmx puts in the
    panel's place: the page's config swaps error answers too)."""
    if as_json:
        body = {"error": {"status": error.status, "message": error.message}}
        return render.json(body, error.status)
    title = TITLES.get(error.status, "Something went wrong")
    template = "error_fragment.html" if fragment else "error.html"
    return render.page(template, error.status, title=title, error=error)
