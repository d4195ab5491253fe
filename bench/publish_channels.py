"""Benchmark: publishing one publication to five channels, against the local fake networks.

The figure of issue 5: "publishing one publication to five channels finishes in under 5 s against
the local fakes, channels in parallel". Builds a fresh SQLite database (as bench/cards.py), an
approved publication with a chart and a table whose channels are the portal, a WordPress site,
a Facebook Page, an Instagram account and an X account; the four networks are the fake servers
of the tests (tests/publications/fakes), each answer delayed by `--latency` seconds as a real
network's would be. `--workers` background workers (`satudata worker`, separate processes, as
in production) are started and warmed up first. The clock runs from the operator's "Publish
now" (post_queue: the cards are drawn, the portal post is done, four jobs are queued) until the
publication is published (every channel posted).

    .venv/bin/python bench/publish_channels.py [--workers 4] [--latency 0.3] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.cards import _build, _configure  # noqa: E402
from tests.publications.fakes import FakeGraph, FakeWordPress, FakeX  # noqa: E402

WP_PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"


def _channels(head, wordpress, graph, x_api) -> list:
    from satudata.publications.channels import channel_create
    from satudata.publications.choices import ChannelKind
    from satudata.publications.services import channel_portal

    def make(kind, address, **credentials):
        return channel_create(
            actor=head,
            agency=head.agency,
            kind=kind,
            name=f"{kind} Dinkes",
            address=address,
            credentials=credentials,
        )

    return [
        channel_portal(head.agency),
        make(ChannelKind.WORDPRESS, wordpress.url, username="editor", app_password=WP_PASSWORD),
        make(ChannelKind.FACEBOOK, "1234567890", access_token=graph.token),
        make(ChannelKind.INSTAGRAM, "17841400000000000", access_token=graph.token),
        make(ChannelKind.X, "@dinkesjember", access_token=x_api.token),
    ]


def _approved(operator, template, channels):
    """A new approved publication with the template's text and blocks, on these channels."""
    from satudata.publications.services import (
        draft_save,
        draft_submit,
        publication_approve,
        publication_instruct,
    )

    head = template.instructed_by
    publication = publication_instruct(
        actor=head, agency=head.agency, assignee=operator, topic=template.topic, channels=channels
    )
    draft_save(
        actor=operator,
        publication=publication,
        title=f"{template.title} ({publication.pk})",
        body=template.body,
        caption="Jumlah bayi diimunisasi naik di semua kecamatan.",
        hashtags="#SatuDataJember #Jember",
        blocks=template.blocks,
    )
    draft_submit(actor=operator, publication=publication)
    publication_approve(actor=head, publication=publication)
    publication.refresh_from_db()
    return publication


def _workers(count: int) -> list[subprocess.Popen]:
    command = [sys.executable, "-m", "satudata", "worker", "--interval", "0.05"]
    return [
        subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(count)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.3, help="seconds per fake answer")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    fakes = [FakeWordPress(password=WP_PASSWORD), FakeGraph(), FakeX()]
    for fake in fakes:
        fake.delay = args.latency
        fake.start()
    wordpress, graph, x_api = fakes
    os.environ["FACEBOOK_GRAPH_URL"] = graph.url + "/v21.0"
    os.environ["X_API_URL"] = x_api.url
    os.environ["SITE_URL"] = "https://satudata.jemberkab.go.id"
    tmp = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    _configure(tmp)
    workers: list[subprocess.Popen] = []
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import transaction

        from satudata.publications.choices import PublicationState
        from satudata.publications.models import Publication
        from satudata.publications.posting import post_queue

        call_command("migrate", verbosity=0, interactive=False)
        operator, template = _build()
        head = template.instructed_by
        channels = _channels(head, wordpress, graph, x_api)
        workers = _workers(args.workers)
        time.sleep(2.0)  # the workers' start-up (imports, a random delay against herds)
        times = []
        for _run in range(args.runs):
            publication = _approved(operator, template, channels)
            started = time.perf_counter()
            with transaction.atomic():
                post_queue(actor=operator, publication=publication)
            while True:
                state = Publication.objects.values_list("state", flat=True).get(pk=publication.pk)
                if state == PublicationState.PUBLISHED:
                    break
                if time.perf_counter() - started > 60:
                    errors = list(publication.posts.values_list("channel__kind", "state", "error"))
                    raise SystemExit(f"not published after 60 s: {errors}")
                time.sleep(0.02)
            times.append(time.perf_counter() - started)
        requests = sum(len(f.requests) for f in fakes)
        print(
            f"publish to 5 channels (portal, WordPress, Facebook, Instagram, X), "
            f"{args.workers} workers, {args.latency * 1000:.0f} ms per network answer, "
            f"{requests // args.runs} network requests per publication: "
            f"median {statistics.median(times):.2f} s, best {min(times):.2f} s, "
            f"worst {max(times):.2f} s over {len(times)} runs"
        )
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
        for fake in fakes:
            fake.stop()
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
