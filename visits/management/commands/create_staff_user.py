"""Create a staff account in one of the two roles: Editors or Readers.

    python manage.py create_staff_user alice --group editors [--email alice@example.org]

The password comes from STAFF_PASSWORD when set; otherwise one is generated and printed once.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

GROUPS = {"editors": "Editors", "readers": "Readers"}


class Command(BaseCommand):
    help = "Create a staff user in the Editors or Readers group."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--group", required=True, choices=sorted(GROUPS))
        parser.add_argument("--email", default="")

    def handle(self, *args, username, group, email, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named '{username}' already exists.", returncode=2)
        try:
            role = Group.objects.get(name=GROUPS[group])
        except Group.DoesNotExist as missing:
            raise CommandError(f"The group {GROUPS[group]} is missing: run migrate.") from missing
        password = os.environ.get("STAFF_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_user(username, email=email, password=password, is_staff=True)
        user.groups.add(role)
        shown = "from STAFF_PASSWORD" if os.environ.get("STAFF_PASSWORD") else f"'{password}'"
        self.stdout.write(
            self.style.SUCCESS(f"Created staff user '{username}' in {role.name}, password {shown}.")
        )
