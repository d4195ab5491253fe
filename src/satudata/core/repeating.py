"""A daemon thread doing one small thing every few seconds until stopped (inside `satudata
worker`: its heartbeat, the recovery of jobs a dead worker left)."""

from __future__ import annotations

import threading


class Repeating:
    """Subclasses say what one round does (`tick`); a round that raises is tried again next time."""

    name = "repeating"

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> Repeating:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def tick(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def failed(self) -> None:
        """Called when a round raised (an outage must not kill the worker)."""

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except Exception:
                self.failed()
