"""A Facebook Page through the Graph API: one photo post (the card) with the caption.

Without a card the post is a link post on the Page's feed (`POST /{page-id}/feed`).

Documented shape: `POST /{page-id}/photos` (url, caption, access_token) -> {id, post_id};
errors {error: {message, type, code, fbtrace_id}}. The Page access token goes in the body,
never in the address, so it cannot end up in a log of URLs.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from satudata.publications.connectors.base import ConnectorError, PostContent, Sent
from satudata.publications.connectors.http import HttpFailure, call, failure_message


def graph_error(failure: HttpFailure) -> ConnectorError:
    """The Graph API's own message, with its type and code (Facebook and Instagram)."""
    data = failure.data if isinstance(failure.data, dict) else {}
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    message = error.get("message")
    if message:
        details = ", ".join(
            str(error[key]) for key in ("type", "code") if error.get(key) not in (None, "")
        )
        message = f"{message} ({details})" if details else message
    return failure_message(failure, message)


def graph_root() -> str:
    return settings.FACEBOOK_GRAPH_URL.rstrip("/")


class FacebookConnector:
    def send(self, *, address: str, credentials: dict[str, str], content: PostContent) -> Sent:
        page_id = address.strip()
        token = credentials.get("access_token", "")
        if content.image_url:
            path = "photos"
            form = {"url": content.image_url, "caption": content.text, "access_token": token}
        else:  # no card: a link post (`POST /{page-id}/feed` {message, link} -> {id})
            path = "feed"
            form = {"message": content.text, "link": content.link, "access_token": token}
        try:
            answer = call("POST", f"{graph_root()}/{page_id}/{path}", form=form)
        except HttpFailure as failure:
            raise graph_error(failure) from None
        if not isinstance(answer, dict) or not (answer.get("post_id") or answer.get("id")):
            raise ConnectorError(_("Facebook answered without a post id."))
        post_id = str(answer.get("post_id") or answer["id"])
        return Sent(external_id=post_id, url=f"https://www.facebook.com/{post_id}")
