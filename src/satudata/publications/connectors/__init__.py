"""Connectors to the networks an agency publishes on, one module per network.

Each connector posts a PostContent with the channel's address and opened credentials and
returns Sent, or raises ConnectorError with the network's own message. The portal and
manual channels have no connector: the portal posts at once, manual posts are recorded.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from satudata.publications.choices import ChannelKind
from satudata.publications.connectors.base import Connector, ConnectorError, PostContent, Sent

# The credential fields each kind needs: (key, label, is_secret).
CREDENTIAL_FIELDS: dict[str, list[tuple[str, object, bool]]] = {
    ChannelKind.WORDPRESS: [
        ("username", _("WordPress user name"), False),
        ("app_password", _("Application password"), True),
    ],
    ChannelKind.FACEBOOK: [("access_token", _("Page access token"), True)],
    ChannelKind.INSTAGRAM: [("access_token", _("Access token"), True)],
    ChannelKind.X: [("access_token", _("OAuth 2.0 user access token"), True)],
}


def connector_for(kind: str) -> Connector | None:
    """The connector of a channel kind; None for the portal and manual channels."""
    from satudata.publications.connectors.facebook import FacebookConnector
    from satudata.publications.connectors.instagram import InstagramConnector
    from satudata.publications.connectors.wordpress import WordPressConnector
    from satudata.publications.connectors.x import XConnector

    connectors: dict[str, Connector] = {
        ChannelKind.WORDPRESS: WordPressConnector(),
        ChannelKind.FACEBOOK: FacebookConnector(),
        ChannelKind.INSTAGRAM: InstagramConnector(),
        ChannelKind.X: XConnector(),
    }
    return connectors.get(kind)


__all__ = [
    "CREDENTIAL_FIELDS",
    "Connector",
    "ConnectorError",
    "PostContent",
    "Sent",
    "connector_for",
]
