"""Simulated users of the load benchmark (bench/load.py starts locust with this file).

Three kinds of user, in proportion 6 : 3 : 1 of the users locust starts:

- PortalVisitor: the public portal: home, searches with words and with facets, dataset pages,
  CSV and XLSX downloads.
- ApiClient: a harvester or an application: CKAN package_search / package_show, API v1.
- Operator: an agency's data operator: signs in, opens the values page, downloads the values
  template (XLSX and CSV), changes some values in the CSV and uploads it. Each operator owns one
  agency and period ("slot"), so no two simulated operators race for the same values (that race
  is refused on purpose: tests/values/test_concurrent_upload.py). The last file each operator's
  upload was acknowledged for is written out at the end, and load.py checks the database holds
  every one of its values.

Reads its settings from the JSON file named by BENCH_LOAD_CONFIG (written by load.py).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import random
import re
import threading
from pathlib import Path

from locust import FastHttpUser, HttpUser, between, events, task

# Empty when the file is only imported (`make bench` runs every script here: see the end).
CONFIG_PATH = os.environ.get("BENCH_LOAD_CONFIG")
CONFIG = json.loads(Path(CONFIG_PATH).read_text()) if CONFIG_PATH else {}
WAIT = between(CONFIG.get("wait_min", 0.2), CONFIG.get("wait_max", 1.0))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOTS = itertools.count()
ACKED: dict[str, dict] = {}  # slot name -> the last acknowledged upload
# slot name -> the uploads sent after it and not acknowledged (refused or cut off): while the
# database restarts, one of them may have been saved whole, never in part (load.py checks).
UNACKED: dict[str, list[dict]] = {}
ACKED_LOCK = threading.Lock()
FAILURES: list[dict] = []  # every failed request: when, what, the status (0: no answer)
CHANGED_CELLS = 20


class PortalVisitor(FastHttpUser):
    """Someone reading the public portal."""

    weight = 6
    wait_time = WAIT

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="portal home")

    @task(3)
    def search_words(self) -> None:
        words = random.choice(CONFIG["words"])
        self.client.get(f"/dataset/?q={words}", name="search words")

    @task(2)
    def search_facets(self) -> None:
        agency = random.choice(CONFIG["agencies"])
        topic = random.choice(CONFIG["topics"])
        query = random.choice(
            [
                f"agency={agency}",
                f"topic={topic}&periodicity=annual",
                f"q={random.choice(CONFIG['words'])}&agency={agency}&sort=name",
            ]
        )
        self.client.get(f"/dataset/?{query}", name="search facets")

    @task(3)
    def dataset_page(self) -> None:
        slug = random.choice(CONFIG["datasets"])
        self.client.get(f"/dataset/{slug}/", name="dataset page")

    @task(1)
    def download_csv(self) -> None:
        slug = random.choice(CONFIG["datasets"])
        self.client.get(f"/dataset/{slug}/data.csv", name="download csv")

    @task(1)
    def download_xlsx(self) -> None:
        slug = random.choice(CONFIG["datasets"])
        self.client.get(f"/dataset/{slug}/data.xlsx", name="download xlsx")


class ApiClient(FastHttpUser):
    """A harvester or an application reading the APIs."""

    weight = 3
    wait_time = WAIT

    @task(2)
    def package_search(self) -> None:
        query = random.choice(
            [
                f"q={random.choice(CONFIG['words'])}",
                f"fq=organization:{random.choice(CONFIG['agencies'])}&rows=20",
                'rows=10&facet.field=["organization","groups","res_format"]',
            ]
        )
        self.client.get(f"/api/3/action/package_search?{query}", name="ckan package_search")

    @task(3)
    def package_show(self) -> None:
        slug = random.choice(CONFIG["datasets"])
        self.client.get(f"/api/3/action/package_show?id={slug}", name="ckan package_show")

    @task(1)
    def v1_datasets(self) -> None:
        self.client.get("/api/v1/datasets?limit=20", name="api v1 datasets")

    @task(2)
    def v1_observations(self) -> None:
        slug = random.choice(CONFIG["datasets"])
        self.client.get(f"/api/v1/datasets/{slug}/observations", name="api v1 observations")


class Operator(HttpUser):
    """An agency's data operator filling values through the spreadsheet template."""

    weight = 1
    wait_time = WAIT

    def on_start(self) -> None:
        slots = CONFIG["slots"]
        self.slot = slots[next(SLOTS) % len(slots)]
        page = self.client.get("/app/account/login/", name="login page")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        with self.client.post(
            "/app/account/login/",
            data={
                "username": self.slot["username"],
                "password": CONFIG["password"],
                "csrfmiddlewaretoken": token,
            },
            name="login",
            catch_response=True,
        ) as response:
            if "/account/login/" in response.url:
                response.failure("the login was refused")

    @task(1)
    def values_home(self) -> None:
        self.client.get("/app/values/", name="values home")

    @task(1)
    def template_xlsx(self) -> None:
        slot = self.slot
        self.client.get(
            f"/app/values/template/{slot['agency']}/{slot['period']}.xlsx",
            name="values template xlsx",
        )

    @task(3)
    def upload(self) -> None:
        slot = self.slot
        template = self.client.get(
            f"/app/values/template/{slot['agency']}/{slot['period']}.csv",
            name="values template csv",
        )
        if template.status_code != 200:
            return
        rows = list(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        value = header.index("nilai")
        for row in random.sample(body, min(CHANGED_CELLS, len(body))):
            row[value] = str(random.randint(0, 5000))
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows([header, *body])
        page = self.client.get("/app/values/upload/", name="values upload page")
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        with self.client.post(
            "/app/values/upload/",
            data={"csrfmiddlewaretoken": token},
            files={"file": ("nilai.csv", out.getvalue().encode("utf-8"), "text/csv")},
            name="values upload",
            catch_response=True,
        ) as response:
            cells = {"|".join((row[0], row[2], row[4])): row[value] for row in body if row[value]}
            upload = {"period": slot["period"], "cells": cells}
            if response.status_code != 200:
                response.failure(f"upload refused ({response.status_code})")
                with ACKED_LOCK:
                    UNACKED.setdefault(slot["name"], []).append(upload)
                return
            with ACKED_LOCK:
                ACKED[slot["name"]] = upload
                UNACKED.pop(slot["name"], None)


@events.request.add_listener
def _record_failure(name, response, response_time, exception, start_time, **kwargs) -> None:
    if exception is not None:
        FAILURES.append(
            {
                "at": start_time,
                "seconds": (response_time or 0) / 1000,
                "name": name,
                "status": getattr(response, "status_code", 0) or 0,
                "error": str(exception)[:200],
            }
        )


@events.quitting.add_listener
def _write_acknowledged(environment, **kwargs) -> None:
    target = os.environ.get("BENCH_LOAD_ACKED")
    if target:
        Path(target).write_text(json.dumps(ACKED))
        Path(target).with_name("unacked.json").write_text(json.dumps(UNACKED))
        Path(target).with_name("failures.json").write_text(json.dumps(FAILURES))


if __name__ == "__main__":
    print("the simulated users of bench/load.py: run that script, not this file")
