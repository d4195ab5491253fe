"""Background jobs of step 6: one job per post, taking the post's id only."""

from __future__ import annotations

from django_tasks import task


@task()
def send_post(post_id: int) -> None:
    """Send one queued post to its channel (posting.post_send does the work, once)."""
    from satudata.publications.posting import post_send

    post_send(post_id=post_id)
