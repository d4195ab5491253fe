"""Fake servers for the networks an agency posts to: WordPress, Facebook/Instagram, X.

Each is a real HTTP server (http.server.ThreadingHTTPServer on 127.0.0.1, a free port) in a
thread, answering with the shapes the networks document, and recording every request so a
test can read the headers and fields our connectors sent and count the posts made.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    """One request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode()))


@dataclass
class Answer:
    status: int
    body: Any = None


@dataclass
class FakeServer:
    """Base: routes a request to `answer(request)`; `failures` are answered first, in order."""

    requests: list[Recorded] = field(default_factory=list)
    # The path of every request as it arrives, before any delay (a call held in progress).
    requests_started: list[str] = field(default_factory=list)
    failures: list[Answer] = field(default_factory=list)
    # Seconds each answer takes, as a real network's would (bench/publish_channels.py).
    delay: float = 0.0

    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Recorded(
                    method=self.command,
                    path=parsed.path,
                    query=dict(urllib.parse.parse_qsl(parsed.query)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                fake.requests_started.append(parsed.path)
                if fake.delay:
                    time.sleep(fake.delay)
                with fake.lock:
                    fake.requests.append(request)
                    answer = fake.answer(request)
                payload = b"" if answer.body is None else json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int, body: Any) -> None:
        """Answer the next write (POST) with this error instead of the success."""
        self.failures.append(Answer(status, body))

    def answer(self, request: Recorded) -> Answer:
        if request.method == "POST" and self.failures:
            return self.failures.pop(0)
        return self.route(request)

    def route(self, request: Recorded) -> Answer:  # pragma: no cover - overridden
        return Answer(404, {"error": "not found"})

    def posts(self, path_end: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path.endswith(path_end)]


class FakeWordPress(FakeServer):
    """wp/v2 posts and media behind an application password (HTTP Basic)."""

    def __init__(self, user: str = "editor", password: str = "abcd EFGH ijkl MNOP qrst UVWX"):
        super().__init__()
        import base64

        self.expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.created: list[dict[str, Any]] = []
        self.media: list[dict[str, Any]] = []
        # Create the post, then lose the answer (a gateway error): as if the line dropped.
        self.lose_next_answer = False

    def route(self, request: Recorded) -> Answer:
        if request.headers.get("authorization") != self.expected:
            return Answer(
                401,
                {
                    "code": "incorrect_password",
                    "message": "The provided password is an invalid application password.",
                    "data": {"status": 401},
                },
            )
        if request.path == "/wp-json/wp/v2/posts" and request.method == "GET":
            slug = request.query.get("slug")
            return Answer(200, [p for p in self.created if p["slug"] == slug])
        if request.path == "/wp-json/wp/v2/media" and request.method == "POST":
            item = {"id": 500 + len(self.media), "source_url": f"{self.url}/media/x.png"}
            self.media.append(item)
            return Answer(201, item)
        if request.path == "/wp-json/wp/v2/posts" and request.method == "POST":
            data = request.json
            post = {
                "id": 100 + len(self.created),
                "slug": data["slug"],
                "status": data["status"],
                "link": f"{self.url}/{data['slug']}/",
                "title": {"raw": data["title"]},
            }
            self.created.append(post)
            if self.lose_next_answer:
                self.lose_next_answer = False
                return Answer(502, None)
            return Answer(201, post)
        return Answer(404, {"code": "rest_no_route", "message": "No route.", "data": {}})


GRAPH_INVALID_TOKEN = {
    "error": {
        "message": "Invalid OAuth access token - Cannot parse access token",
        "type": "OAuthException",
        "code": 190,
        "fbtrace_id": "AbCdEf123",
    }
}


class FakeGraph(FakeServer):
    """Facebook Page photos and Instagram content publishing, on one Graph API address."""

    def __init__(self, token: str = "EAAB-page-token-123456"):
        super().__init__()
        self.token = token
        self.published: list[str] = []

    def route(self, request: Recorded) -> Answer:
        sent_token = request.form.get("access_token") or request.query.get("access_token")
        if sent_token != self.token:
            return Answer(400, GRAPH_INVALID_TOKEN)
        parts = request.path.strip("/").split("/")
        if request.method == "POST" and parts[-1] == "photos":
            n = len(self.posts("/photos")) - 1  # this request is recorded already
            photo_id = f"9{n:05d}"
            self.published.append(photo_id)
            return Answer(200, {"id": photo_id, "post_id": f"{parts[-2]}_{photo_id}"})
        if request.method == "POST" and parts[-1] == "feed":
            post_id = f"{parts[-2]}_8{len(self.posts('/feed')) - 1:05d}"
            self.published.append(post_id)
            return Answer(200, {"id": post_id})
        if request.method == "POST" and parts[-1] == "media":
            return Answer(200, {"id": f"1790{len(self.posts('/media')) - 1:04d}"})
        if request.method == "POST" and parts[-1] == "media_publish":
            media_id = f"1791{len(self.posts('/media_publish')) - 1:04d}"
            self.published.append(media_id)
            return Answer(200, {"id": media_id})
        if request.method == "GET":
            return Answer(
                200, {"id": parts[-1], "permalink": f"https://www.instagram.com/p/{parts[-1]}/"}
            )
        return Answer(404, {"error": {"message": "Unknown path", "type": "GraphMethodException"}})


class FakeX(FakeServer):
    """X API v2 posts and media upload behind an OAuth 2.0 bearer token."""

    def __init__(self, token: str = "x-user-token-abcdef"):
        super().__init__()
        self.token = token
        self.tweets: list[dict[str, Any]] = []

    def route(self, request: Recorded) -> Answer:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return Answer(
                401,
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
            )
        if request.path == "/2/media/upload" and request.method == "POST":
            return Answer(
                200,
                {
                    "data": {
                        "id": "1880028106020515840",
                        "media_key": "3_1880028106020515840",
                        "size": len(request.body),
                        "expires_after_secs": 86400,
                    }
                },
            )
        if request.path == "/2/tweets" and request.method == "POST":
            text = request.json["text"]
            if any(t["text"] == text for t in self.tweets):
                return Answer(
                    403,
                    {
                        "detail": "You are not allowed to create a Tweet with duplicate content.",
                        "type": "about:blank",
                        "title": "Forbidden",
                        "status": 403,
                    },
                )
            tweet = {"id": str(1445880548472328192 + len(self.tweets)), "text": text}
            self.tweets.append(tweet)
            return Answer(201, {"data": tweet})
        return Answer(404, {"title": "Not Found", "status": 404, "detail": "no route"})
