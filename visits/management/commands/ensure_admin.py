"""Create the local administrator account that ``make run`` prints.

The password comes from ADMIN_PASSWORD when set (and is then reset to it on every run);
otherwise a random one is generated when the account is created and printed once.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create (or reset) the superuser account for local use."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USERNAME", "admin"))

    def handle(self, *args, username, **options):
        User = get_user_model()
        password = os.environ.get("ADMIN_PASSWORD", "")
        user = User.objects.filter(username=username).first()
        if user is not None and not password:
            self.stdout.write(
                f"Admin account '{username}' already exists (its password is unchanged; "
                "set ADMIN_PASSWORD to reset it)."
            )
            return
        if user is None:
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            verb = "Created"
        else:
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
            verb = "Reset"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} admin account: username '{username}', password '{password}'"
            )
        )
