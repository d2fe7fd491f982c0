"""`kata dojo board`: a live scoreboard for pairs working on one kata at once.

The facilitator serves the board; each pair's `kata check --board URL --code CODE --name
NAME` posts its result after every check. Rows live in SQLite in the board's folder, so
a restarted board keeps them (and its join code). The page updates itself from a stream
of server-sent events; nothing needs a reload.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import UsageError
from harness.result import RunResult

if TYPE_CHECKING:  # the web stack is imported only when a board is served
    from starlette.applications import Starlette

MAX_BODY = 16 * 1024  # a result summary is a few hundred bytes
MAX_NAME = 60
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a projector


class BadPost(ValueError):
    """A post the board refuses; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Post:
    """One pair's result, as the board keeps it."""

    name: str
    tasks_passed: int
    tasks_total: int
    tests_passed: int
    tests_total: int
    score: float
    max_score: float
    passed: bool


def summary(result: RunResult) -> dict[str, Any]:
    """What a check posts: counts and the score, never code or test output."""
    return {
        "kata": result.kata,
        "tasks_passed": result.tasks_passed,
        "tasks_total": len(result.tasks),
        "tests_passed": result.tests_passed,
        "tests_total": result.tests_total,
        "score": result.score, "max_score": result.max_score, "passed": result.passed,
    }


def parse_post(body: bytes, code: str, slug: str) -> Post:
    """Validates a post; raises BadPost with 413, 400 or 403."""
    if len(body) > MAX_BODY:
        raise BadPost(413, f"the body is over {MAX_BODY} bytes")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadPost(400, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadPost(400, "the body must be a JSON object")
    if not secrets.compare_digest(str(data.get("code", "")).upper().encode(), code.encode()):
        raise BadPost(403, "wrong join code")
    name, result = data.get("name"), data.get("result")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise BadPost(400, f"name must be a non-empty string of at most {MAX_NAME} characters")
    if not isinstance(result, dict):
        raise BadPost(400, "result must be an object")
    if result.get("kata") != slug:
        raise BadPost(400, f"this board is for the kata {slug!r}, not {result.get('kata')!r}")
    counts: dict[str, int] = {}
    for key in ("tasks_passed", "tasks_total", "tests_passed", "tests_total"):
        value = result.get(key)
        if type(value) is not int or not 0 <= value <= 100_000:
            raise BadPost(400, f"result.{key} must be a whole number from 0")
        counts[key] = value
    scores: dict[str, float] = {}
    for key in ("score", "max_score"):
        value = result.get(key)
        if not (type(value) is int or type(value) is float) or not 0 <= value <= 1e6:
            raise BadPost(400, f"result.{key} must be a number from 0")
        scores[key] = float(value)
    if (counts["tasks_passed"] > counts["tasks_total"]
            or counts["tests_passed"] > counts["tests_total"]
            or scores["score"] > scores["max_score"]):
        raise BadPost(400, "a passed count or a score is above its total")
    if type(result.get("passed")) is not bool:
        raise BadPost(400, "result.passed must be true or false")
    return Post(name=" ".join(name.split()),
                tasks_passed=counts["tasks_passed"], tasks_total=counts["tasks_total"],
                tests_passed=counts["tests_passed"], tests_total=counts["tests_total"],
                score=scores["score"], max_score=scores["max_score"], passed=result["passed"])


class BoardStore:
    """The board's rows and join code in SQLite, one file in the board's folder."""

    def __init__(self, directory: Path, slug: str, clock: Callable[[], float] = time.time):
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "board.sqlite3"
        self.slug = slug
        self.clock = clock
        with self._connect() as db:
            db.executescript("""
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS pairs (
                    name TEXT PRIMARY KEY, tasks_passed INTEGER, tasks_total INTEGER,
                    tests_passed INTEGER, tests_total INTEGER, score REAL, max_score REAL,
                    passed INTEGER, first_seen REAL, first_green REAL, last_activity REAL,
                    checks INTEGER);
            """)
            known = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if known.get("slug", slug) != slug:
                raise UsageError(f"{directory} holds a board for {known['slug']!r}; "
                                 f"use another --dir for {slug!r}")
            fresh = {"slug": slug, "started_at": str(self.clock()),
                     "code": "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))}
            for key, value in fresh.items():
                db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, value))
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        self.code = meta["code"]
        self.started_at = float(meta["started_at"])

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def record(self, post: Post) -> None:
        now = self.clock()
        with self._connect() as db:
            db.execute("""
                INSERT INTO pairs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                ON CONFLICT(name) DO UPDATE SET
                    tasks_passed = excluded.tasks_passed, tasks_total = excluded.tasks_total,
                    tests_passed = excluded.tests_passed, tests_total = excluded.tests_total,
                    score = excluded.score, max_score = excluded.max_score,
                    passed = excluded.passed, last_activity = excluded.last_activity,
                    first_green = COALESCE(pairs.first_green, excluded.first_green),
                    checks = pairs.checks + 1
            """, (post.name, post.tasks_passed, post.tasks_total, post.tests_passed,
                  post.tests_total, post.score, post.max_score, int(post.passed), now,
                  now if post.passed else None, now))

    def rows(self) -> list[dict[str, Any]]:
        """Pairs ranked: most tasks, then score, then who got green first."""
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = [dict(row) for row in db.execute("SELECT * FROM pairs")]
        for row in rows:
            row["passed"] = bool(row["passed"])
        return sorted(rows, key=lambda r: (-r["tasks_passed"], -r["score"],
                                           r["first_green"] or float("inf"), r["name"]))

    def snapshot(self) -> dict[str, Any]:
        return {"kata": self.slug, "started_at": self.started_at, "now": self.clock(),
                "rows": self.rows()}


def create_app(store: BoardStore, title: str, *, poll: float = 0.5) -> Starlette:
    """The board's web application: the page, its event stream, the JSON API."""
    import jinja2
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
    from starlette.routing import Route

    page = jinja2.Environment(
        loader=jinja2.PackageLoader("harness", "templates/board"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined).get_template("index.html.j2")

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page.render(title=title, slug=store.slug,
                                        snapshot=json.dumps(store.snapshot())))

    async def rows(request: Request) -> JSONResponse:
        return JSONResponse(store.snapshot())

    async def events(request: Request) -> StreamingResponse:
        async def stream() -> AsyncIterator[str]:
            last = None
            while not await request.is_disconnected():
                snapshot = store.snapshot()
                if snapshot["rows"] != last:
                    last = snapshot["rows"]
                    yield f"data: {json.dumps(snapshot)}\n\n"
                else:
                    yield ": still here\n\n"  # keeps proxies and the browser from giving up
                await asyncio.sleep(poll)
        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    async def post_result(request: Request) -> JSONResponse:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return JSONResponse({"error": f"the body is over {MAX_BODY} bytes"}, 413)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return JSONResponse({"error": f"the body is over {MAX_BODY} bytes"}, 413)
        try:
            post = parse_post(body, store.code, store.slug)
        except BadPost as refused:
            return JSONResponse({"error": str(refused)}, refused.status)
        store.record(post)
        return JSONResponse({"ok": True, "name": post.name})

    return Starlette(routes=[
        Route("/", index), Route("/api/rows", rows), Route("/events", events),
        Route("/api/results", post_result, methods=["POST"]),
    ])


def serve(store: BoardStore, title: str, host: str, port: int) -> None:
    """Runs the board until interrupted."""
    import uvicorn

    uvicorn.run(create_app(store, title), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=1)


def post(url: str, code: str, name: str, result: RunResult, timeout: float = 5.0) -> str:
    """Posts a check's summary to a board; returns the board's answer or raises UsageError
    saying what went wrong (unreachable, refused and why)."""
    body = json.dumps({"code": code, "name": name, "result": summary(result)}).encode()
    request = urllib.request.Request(url.rstrip("/") + "/api/results", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return json.loads(answer.read()).get("name", name)
    except urllib.error.HTTPError as refused:
        try:
            reason = json.loads(refused.read()).get("error", refused.reason)
        except (ValueError, AttributeError):
            reason = refused.reason
        raise UsageError(
            f"the board at {url} refused the result ({refused.code}): {reason}") from refused
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UsageError(f"could not reach the board at {url}: {exc}") from None
