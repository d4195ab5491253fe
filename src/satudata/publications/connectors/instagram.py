"""An Instagram professional account through the Graph API's content publishing.

Documented shapes: `POST /{ig-user-id}/media` (image_url, caption) -> {id} (a container),
then `POST /{ig-user-id}/media_publish` (creation_id) -> {id} (the media); the media's
`permalink` is read with `GET /{media-id}?fields=permalink`. Instagram fetches the image
itself, so `image_url` is the card's public address on the portal.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from satudata.publications.connectors.base import ConnectorError, PostContent, Sent
from satudata.publications.connectors.facebook import graph_error, graph_root
from satudata.publications.connectors.http import HttpFailure, call


class InstagramConnector:
    def send(self, *, address: str, credentials: dict[str, str], content: PostContent) -> Sent:
        user_id = address.strip()
        token = credentials.get("access_token", "")
        if not content.image_url:
            raise ConnectorError(_("Instagram needs an image: the publication has no card."))
        try:
            container = call(
                "POST",
                f"{graph_root()}/{user_id}/media",
                form={
                    "image_url": content.image_url,
                    "caption": content.text,
                    "access_token": token,
                },
            )
            published = call(
                "POST",
                f"{graph_root()}/{user_id}/media_publish",
                form={"creation_id": str(container["id"]), "access_token": token},
            )
        except HttpFailure as failure:
            raise graph_error(failure) from None
        media_id = str(published["id"])
        try:
            # Only for the link shown to people; the post is already made if this fails.
            media = call(
                "GET",
                f"{graph_root()}/{media_id}",
                query={"fields": "permalink", "access_token": token},
            )
            permalink = str(media.get("permalink", "")) if isinstance(media, dict) else ""
        except (HttpFailure, ConnectorError):
            permalink = ""
        return Sent(external_id=media_id, url=permalink)
