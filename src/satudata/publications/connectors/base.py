"""What every connector takes and gives back, and the one error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class PostContent:
    """A publication as the networks receive it, built once by posting.py."""

    key: str  # our own stable id for the post (`satudata-<pk>`): finds an earlier attempt
    title: str
    html: str  # the article for a website
    text: str  # the social-media text: caption, hashtags and the link to the public page
    link: str  # the public page on the portal (absolute)
    image_url: str = ""  # a public address of the square card (networks fetch it themselves)
    image: bytes | None = None  # the landscape card's bytes, for networks that take an upload
    image_name: str = "kartu.png"
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sent:
    """The network's answer to a successful post: its id and the post's public link."""

    external_id: str
    url: str


class ConnectorError(Exception):
    """The network refused or could not be reached; `message` is the network's own words.

    `unsure` means the request may have reached the network (a timeout after sending): the
    operator should look at the channel before retrying.
    """

    def __init__(self, message: str, *, status: int | None = None, unsure: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.unsure = unsure


class Connector(Protocol):
    def send(self, *, address: str, credentials: dict[str, str], content: PostContent) -> Sent:
        """Post `content`; raise ConnectorError with the network's message on failure."""
        ...
