"""`satudata serve`: the production web server (gunicorn, gthread) with static files."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the product with gunicorn (collects static files first)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2)))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", 4)))
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the embedded background worker (run `satudata worker` instead).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        from gunicorn.app.base import BaseApplication

        from satudata.wsgi import application

        config = {
            "bind": options["bind"],
            "workers": options["workers"],
            "threads": options["threads"],
            "worker_class": "gthread",
            "accesslog": "-",
            "timeout": 60,
        }

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self):
                return application

        if settings.EMBEDDED_WORKER and not options["no_worker"]:
            self._start_embedded_worker()
        self.stdout.write(f"Serving on http://{options['bind']}/  (Ctrl+C stops)")
        Server().run()

    def _start_embedded_worker(self) -> None:
        """One background worker beside the web server, stopped with it (the embedded default)."""
        worker = subprocess.Popen([sys.executable, "-m", "satudata", "worker"])
        master = os.getpid()

        def stop() -> None:
            # gunicorn's forked web workers inherit this hook; only the master owns the worker.
            if os.getpid() == master and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()

        atexit.register(stop)
        self.stdout.write(f"Background worker started (pid {worker.pid})")
