"""The README's API examples (section "The API"), run as written with curl against a live
server holding the demo data of the day they show, give the output the README shows."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import fresh_sequences

README = Path(__file__).resolve().parent.parent / "README.md"
# The address and the day the README's examples were run on.
SERVER = "http://127.0.0.1:8000"
DEMO_DAY = datetime.date(2026, 12, 1)


def examples():
    """(script, output) of each example: a ```sh block followed by a ```text block."""
    section = README.read_text().split("\n## The API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```\n\n```text\n(.*?)```", section, re.S)


def test_the_readme_shows_three_api_examples_with_their_output():
    found = examples()
    assert len(found) == 3
    assert all(script.count(SERVER) >= 1 and output.strip() for script, output in found)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_readme_example_gives_the_output_shown(live_server, today, settings, tmp_path):
    assert shutil.which("curl"), "the examples use curl"
    settings.MEDIA_ROOT = tmp_path / "media"
    today(DEMO_DAY)
    fresh_sequences()
    call_command("seed_demo", stdout=io.StringIO())
    for script, shown in examples():
        result = subprocess.run(
            ["bash", "-c", script.replace(SERVER, live_server.url)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.replace(live_server.url, SERVER) == shown
