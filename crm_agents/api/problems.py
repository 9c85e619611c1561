"""Errors as RFC 9457 problem details (`application/problem+json`), worded in the caller's
language (`Accept-Language`: English or Traditional Chinese), never with a stack trace, a secret
or anything from a request it could not read."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.i18n import Phrase, WordedError, t
from core.languages import BASE_LANGUAGE, languages, spec
from core.types import Language
from data.validation import DataValidationError
from tools.refusals import Refusal
from tools.service.customer_index import CustomerNotFoundError

PROBLEM = "application/problem+json"
#: Each status's short title has a phrase `api.status.<code>`; others use the generic one.
TITLED = (400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503)

log = logging.getLogger(__name__)


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank", description="A URI naming the kind of problem")
    title: str = Field(description="What kind of problem, in the caller's language")
    status: int
    detail: str = Field(description="This occurrence, in the caller's language")
    instance: str | None = Field(default=None, description="The request path")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="For 422: each field that was refused and why"
    )


#: What any operation behind a key may answer besides its own answers (OpenAPI `responses`).
KEY_ANSWERS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A body that is not JSON"},
    401: {"model": Problem, "description": "No API key, or not a live one"},
    403: {"model": Problem, "description": "The key lacks the scope"},
    422: {"model": Problem, "description": "A parameter or the body was refused"},
    429: {"model": Problem, "description": "Too many requests: see Retry-After"},
}


class ApiProblem(Exception):
    """Raised by a route: the status, what happened (a phrase), and any headers."""

    def __init__(
        self,
        status: int,
        phrase: Phrase,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(str(phrase))
        self.status, self.phrase, self.headers = status, phrase, headers or {}
        self.errors = errors


def caller_language(request: Request, default: Language = BASE_LANGUAGE) -> Language:
    """The first language of `Accept-Language` the product speaks, else `default`."""
    header = request.headers.get("accept-language", "")
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        if tag and weight > 0:
            ranked.append((-weight, position, tag.lower()))
    for _, _, tag in sorted(ranked):
        for code in languages():
            if tag == code.lower() or any(tag.startswith(p) for p in spec(code).browser):
                return code
    return default


def problem_response(
    request: Request,
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    lang = caller_language(request)
    key = f"api.status.{status}" if status in TITLED else "api.status.other"
    body = Problem(
        title=t(key, lang),
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, headers=headers, media_type=PROBLEM
    )


def _field_errors(err: RequestValidationError) -> list[dict[str, Any]]:
    # The refused value is not echoed: it may be a secret pasted in the wrong place.
    return [
        {"location": [str(p) for p in e.get("loc", ())], "problem": str(e.get("msg", ""))}
        for e in err.errors()
    ]


def install(app: FastAPI) -> None:
    """Every error the API answers with, as problem details."""

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, err: ApiProblem) -> JSONResponse:
        lang = caller_language(request)
        words = err.phrase.words(lang)
        return problem_response(request, err.status, words, err.headers, err.errors)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        lang = caller_language(request)
        errors = _field_errors(err)
        where = "; ".join(f"{'.'.join(e['location'])}: {e['problem']}" for e in errors)
        detail = t("api.invalid", lang, problems=where)
        return problem_response(request, 422, detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> JSONResponse:
        lang = caller_language(request)
        key = f"api.status.{err.status_code}" if err.status_code in TITLED else "api.status.other"
        detail = (
            t(f"api.detail.{err.status_code}", lang)
            if err.status_code in (404, 405, 413)
            else t(key, lang)
        )
        return problem_response(request, err.status_code, detail, dict(err.headers or {}))

    @app.exception_handler(DataValidationError)
    async def _rows_refused(request: Request, err: DataValidationError) -> JSONResponse:
        # Rows sent as data (outcomes): every problem named with its rows, nothing stored.
        lang = caller_language(request)
        errors = [{"location": ["body"], "problem": p.words(lang)} for p in err.phrases]
        return problem_response(request, 422, err.words(lang), errors=errors)

    @app.exception_handler(CustomerNotFoundError)
    async def _no_customer(request: Request, err: CustomerNotFoundError) -> JSONResponse:
        return problem_response(request, 404, err.words(caller_language(request)))

    @app.exception_handler(Refusal)
    async def _refused(request: Request, err: Refusal) -> JSONResponse:
        # What the tools refuse (a change out of range, a customer that cannot be scored).
        return problem_response(request, 422, err.words(caller_language(request)))

    @app.exception_handler(WordedError)
    async def _worded(request: Request, err: WordedError) -> JSONResponse:
        # The product's own refusals (a campaign not in review, an unknown offer): the caller's.
        return problem_response(request, 409, err.words(caller_language(request)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> JSONResponse:
        log.exception("unexpected error answering %s %s", request.method, request.url.path)
        lang = caller_language(request)
        return problem_response(request, 500, t("api.detail.500", lang))
