"""An agency's website through the WordPress REST API (wp/v2), with an application password.

Documented shapes: `POST /wp-json/wp/v2/posts` {title, content, status, slug, featured_media}
-> {id, link}; `POST /wp-json/wp/v2/media` with the file as the raw body and a
Content-Disposition header -> {id, source_url}; errors {code, message, data: {status}}.
Authentication is HTTP Basic with the user's name and an application password.
"""

from __future__ import annotations

import base64
from typing import Any

from django.utils.translation import gettext as _

from satudata.publications.connectors.base import ConnectorError, PostContent, Sent
from satudata.publications.connectors.http import HttpFailure, call, failure_message


def _error(failure: HttpFailure) -> ConnectorError:
    data = failure.data if isinstance(failure.data, dict) else {}
    message = data.get("message")
    if message and data.get("code"):
        message = f"{message} ({data['code']})"
    return failure_message(failure, message)


def api_root(address: str) -> str:
    return address.strip().rstrip("/") + "/wp-json/wp/v2"


class WordPressConnector:
    """Creates one published post per publication; its slug finds an earlier attempt."""

    def send(self, *, address: str, credentials: dict[str, str], content: PostContent) -> Sent:
        root = api_root(address)
        pair = f"{credentials.get('username', '')}:{credentials.get('app_password', '')}"
        auth = {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}
        try:
            # A retry after a lost answer must not make a second article: look for our slug.
            found = call(
                "GET",
                f"{root}/posts",
                headers=auth,
                query={"slug": content.key, "status": "any", "context": "edit"},
            )
            if isinstance(found, list) and found:
                return Sent(external_id=str(found[0]["id"]), url=str(found[0].get("link", "")))
            payload: dict[str, Any] = {
                "title": content.title,
                "content": content.html,
                "status": "publish",
                "slug": content.key,
            }
            if content.image:
                media = call(
                    "POST",
                    f"{root}/media",
                    headers={
                        **auth,
                        "Content-Type": "image/png",
                        "Content-Disposition": f'attachment; filename="{content.image_name}"',
                    },
                    body=content.image,
                )
                payload["featured_media"] = media["id"]
            created = call("POST", f"{root}/posts", headers=auth, json_body=payload)
        except HttpFailure as failure:
            raise _error(failure) from None
        if not isinstance(created, dict) or "id" not in created:
            raise ConnectorError(_("The website answered without a post id."))
        return Sent(external_id=str(created["id"]), url=str(created.get("link", "")))
