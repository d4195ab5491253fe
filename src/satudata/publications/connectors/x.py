"""An X (Twitter) account through API v2 with an OAuth 2.0 user-context access token.

Documented shapes: `POST /2/media/upload` {media (base64), media_category, media_type} ->
{data: {id, media_key}}; `POST /2/tweets` {text, media: {media_ids}} -> {data: {id, text}};
errors as problem details {title, detail, type, status} or {errors: [{message | detail}]}.
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from satudata.publications.connectors.base import ConnectorError, PostContent, Sent
from satudata.publications.connectors.http import HttpFailure, call, failure_message

MAX_CHARS = 280
LINK_CHARS = 23  # X counts every link as 23 characters, whatever its length


def x_error(failure: HttpFailure) -> ConnectorError:
    data = failure.data if isinstance(failure.data, dict) else {}
    message = data.get("detail") or data.get("title")
    errors = data.get("errors")
    if not message and isinstance(errors, list) and errors and isinstance(errors[0], dict):
        message = errors[0].get("message") or errors[0].get("detail") or errors[0].get("title")
    return failure_message(failure, message)


def tweet_text(text: str, link: str) -> str:
    """The post's text cut to fit 280 characters with the link at the end."""
    body = text.replace(link, "").strip()
    room = MAX_CHARS - LINK_CHARS - 1
    if len(body) > room:
        body = body[: room - 1].rstrip() + "…"
    return f"{body} {link}".strip()


class XConnector:
    def send(self, *, address: str, credentials: dict[str, str], content: PostContent) -> Sent:
        root = settings.X_API_URL.rstrip("/")
        auth = {"Authorization": f"Bearer {credentials.get('access_token', '')}"}
        payload: dict[str, Any] = {"text": tweet_text(content.text, content.link)}
        try:
            if content.image:
                media = call(
                    "POST",
                    f"{root}/2/media/upload",
                    headers=auth,
                    json_body={
                        "media": base64.b64encode(content.image).decode(),
                        "media_category": "tweet_image",
                        "media_type": "image/png",
                    },
                )
                payload["media"] = {"media_ids": [str(media["data"]["id"])]}
            created = call("POST", f"{root}/2/tweets", headers=auth, json_body=payload)
        except HttpFailure as failure:
            raise x_error(failure) from None
        data = created.get("data") if isinstance(created, dict) else None
        if not isinstance(data, dict) or "id" not in data:
            raise ConnectorError(_("X answered without a post id."))
        handle = address.strip().lstrip("@")
        tweet_id = str(data["id"])
        url = (
            f"https://x.com/{handle}/status/{tweet_id}"
            if handle
            else f"https://x.com/i/web/status/{tweet_id}"
        )
        return Sent(external_id=tweet_id, url=url)
