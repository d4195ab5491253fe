"""`satudata createadmin`: create (or reset) an administrator account."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from satudata.accounts.models import User
from satudata.accounts.roles import Role
from satudata.accounts.services import user_create, user_set_password, user_update
from satudata.core.actors import SystemActor


class Command(BaseCommand):
    help = "Create an administrator (password from --password, ADMIN_PASSWORD or a prompt)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=os.environ.get("ADMIN_PASSWORD"))

    def handle(self, *args: Any, username: str, email: str, password: str | None, **o: Any):
        if not password:
            if not os.isatty(0):
                raise CommandError("Give --password or ADMIN_PASSWORD (no terminal to ask).")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        actor = SystemActor(f"cli:{getpass.getuser()}")
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=actor,
                username=username,
                email=email,
                role=Role.ADMIN,
                password=password,
                is_staff=True,
            )
            self.stdout.write(f"Administrator {username} created.")
        else:
            user_update(actor=actor, user=user, role=Role.ADMIN, is_active=True)
            user_set_password(actor=actor, user=user, password=password)
            self.stdout.write(f"Administrator {username} updated.")
