"""``make load``: public readers and staff at once, for a bounded time, on PostgreSQL.

Creates the database if it is missing, migrates it, fills it with ``generate_bench_data`` at a
small scale when it holds no visit, creates LOAD_STAFF_CLIENTS staff accounts for this run
with ``create_staff_user`` (Editors, one generated password), collects the static files into
a temporary folder and starts gunicorn on 127.0.0.1 as production runs it (debug off, a
throwaway secret key, behind a TLS proxy: every request carries X-Forwarded-Proto: https),
with the helpers of devtools/bench.py.

Then LOAD_CLIENTS clients run for LOAD_SECONDS, each a thread with one persistent HTTP
connection (reopened when the server closes it: sync workers close after each answer), its
own cookies, and no pause between requests:

- readers ask for the public pages at random: home, report list with filters, searches
  (``q``), one report, the States, one State, the non-cooperation summary with filters, and
  the exports (reports CSV and JSON, non-cooperation CSV);
- LOAD_STAFF_CLIENTS of them are staff: each logs in through /admin/login/ (CSRF token and
  cookie, as a browser), then over and over opens the change form of one of its records,
  posts the form as a browser would (every field as shown, the hidden ``seen_version`` of
  the optimistic lock included, multipart when the page says so) with one field changed (a
  visit's internal notes, a report's summary, marked with the account and save number), and
  follows the redirect to the list, which must say the change was saved. Its records are
  LOAD_RECORDS visits and as many reports of its own, which no other client touches, and
  every third save one visit all staff clients share (LOAD_SHARED=0: none), where two
  clients saving from the same version is a real race: the lock must refuse the second.

Errors, which must be none: a status other than the expected one (any 5xx included), a
socket error, a timeout (LOAD_TIMEOUT), a save not accepted (the form shown again with an
error; on a client's own record, the lock's refusal too), a saved change without its
success message. A refusal by the lock on the shared visit is expected, and counted apart.
Once the server is stopped, the saves are checked in the database and in
django-simple-history: each record holds the value of its accepted save from the highest
version; no two accepted saves of a record started from the same version (one would have
overwritten the other); each accepted save is in the history (a change by that account
carrying that value), with exactly as many changes by each account as saves accepted; a
refused save left no trace.

Prints one table (requests, errors, requests/s, p50, p95 and max latency per kind of
request, and overall), writes it to bench-results/load-<timestamp>.md (gunicorn's error log
beside it), and exits 1 when anything failed.

Settings (environment):
  LOAD_DATABASE_URL    postgres://postgres@127.0.0.1:5432/tracker_load
  LOAD_SCALE           0.02   scale of generate_bench_data, used only when the database is empty
  LOAD_SEED            1      generate_bench_data's seed, and the clients' random choices
  LOAD_PORT            8200   refused when busy
  LOAD_SECONDS         60     of load
  LOAD_CLIENTS         32     concurrent clients, staff included
  LOAD_STAFF_CLIENTS   4      of which staff saving in the admin
  LOAD_RECORDS         3      visits, and as many reports, of each staff client's own
  LOAD_SHARED          1      1: one visit all staff clients save too (every third save); 0: none
  LOAD_WORKERS         4      gunicorn workers
  LOAD_WORKER_CLASS    sync   gunicorn's worker class: sync (production) or gthread
  LOAD_THREADS         8      threads per worker (gthread only)
  LOAD_TIMEOUT         60     seconds a client waits for an answer before counting a timeout
  LOAD_CONN_MAX_AGE    60     DJANGO_CONN_MAX_AGE of the server (persistent connections)
  LOAD_WORKER_TIMEOUT  30     gunicorn's --timeout: a longer request is killed

Run it from the project's folder: ``make load`` or ``.venv/bin/python -m devtools.load``.
"""

import datetime
import http.client
import http.cookies
import math
import os
import platform
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from devtools import bench as shared

ROOT = shared.ROOT
HOST = shared.HOST
setting = shared.setting

DATABASE_URL = setting("LOAD_DATABASE_URL", f"postgres://postgres@{HOST}:5432/tracker_load")
SCALE = setting("LOAD_SCALE", "0.02", float)
SEED = setting("LOAD_SEED", "1", int)
PORT = setting("LOAD_PORT", "8200", int)
SECONDS = setting("LOAD_SECONDS", "60", float)
CLIENTS = setting("LOAD_CLIENTS", "32", int)
STAFF_CLIENTS = setting("LOAD_STAFF_CLIENTS", "4", int)
RECORDS = setting("LOAD_RECORDS", "3", int)
SHARED = setting("LOAD_SHARED", "1", int)
WORKERS = setting("LOAD_WORKERS", "4", int)
WORKER_CLASS = setting("LOAD_WORKER_CLASS", "sync")
THREADS = setting("LOAD_THREADS", "8", int)
TIMEOUT = setting("LOAD_TIMEOUT", "60", float)
CONN_MAX_AGE = setting("LOAD_CONN_MAX_AGE", "60", int)
WORKER_TIMEOUT = setting("LOAD_WORKER_TIMEOUT", "30", int)

ORIGIN = f"https://{HOST}:{PORT}"
# The field each staff client changes, per model.
EDITED = {"visit": "internal_notes", "report": "summary"}
SEARCHES = ["restraint", "overcrowding", "lawyer", "solitary confinement", "contention", "prisons"]
LOCK_REFUSAL = "Someone else saved this"  # the start of the optimistic lock's message
SAVED = "was changed successfully"
MARK = re.compile(r"\s*\[load [^\]]*\]$")

# Kinds of request, in the table's order; the readers' ones with their weight in the mix.
PUBLIC_MIX = {
    "home": 10,
    "report list, filtered": 20,
    "report search (q)": 12,
    "one report": 15,
    "States": 5,
    "one State": 10,
    "non-cooperation summary": 10,
    "reports CSV export": 3,
    "reports JSON export": 3,
    "non-cooperation CSV export": 3,
}
STAFF_KINDS = ["staff login", "staff change form", "staff save", "staff list after a save"]
KINDS = [*PUBLIC_MIX, *STAFF_KINDS]


class LoadFailed(shared.BenchFailed):
    """Something that makes the run impossible."""


say = shared.say


# What the clients record, and the figures made of it.


@dataclass
class Outcome:
    kind: str
    seconds: float
    error: str | None = None


@dataclass(frozen=True)
class Save:
    """A staff save: the value posted for one field of one record, from the version the
    form was opened at (its hidden seen_version)."""

    model: str  # "visit" or "report"
    pk: int
    field: str
    value: str
    username: str
    version: int


def percentile(values, fraction):
    """Nearest rank: the smallest value with at least ``fraction`` of the values at or
    below it (None for no value)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarize(outcomes, seconds):
    """Per kind (in KINDS order, those that happened) and overall ("all"): requests, errors,
    requests per second over ``seconds``, p50, p95 and max latency in milliseconds (of every
    request, the failed ones included)."""
    by_kind = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.kind, []).append(outcome)
    order = [kind for kind in KINDS if kind in by_kind]
    order += sorted(kind for kind in by_kind if kind not in KINDS)
    rows = {}
    for kind, group in [*((k, by_kind[k]) for k in order), ("all", outcomes)]:
        latencies = [outcome.seconds * 1000 for outcome in group]
        rows[kind] = {
            "requests": len(group),
            "errors": sum(1 for outcome in group if outcome.error),
            "rps": len(group) / seconds if seconds else None,
            "p50": percentile(latencies, 0.50),
            "p95": percentile(latencies, 0.95),
            "max": max(latencies, default=None),
        }
    return rows


def table(rows):
    lines = [
        "| kind | requests | errors | requests/s | p50 ms | p95 ms | max ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for kind, row in rows.items():
        label = f"**{kind}**" if kind == "all" else kind
        cells = [
            label,
            shared.number(row["requests"]),
            shared.number(row["errors"]),
            shared.number(row["rps"], 1),
            shared.number(row["p50"], 1),
            shared.number(row["p95"], 1),
            shared.number(row["max"], 1),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verify_saves(saves, refused=()):
    """What is wrong with the saves once the load is over (sentences; none when all is
    well). Of the accepted ``saves``: each record holds the value of the one from the highest
    version (the last: each accepted save moves the version on by one); no two started from
    the same version of a record (the lock lets only one through, or a change was lost);
    each is in the record's history (a change by that account carrying that value); the
    history holds exactly as many changes by each account to each record as it had saves
    accepted. Of the ``refused`` ones: none left its value in the record or its history."""
    from visits.models import Report, Visit

    models = {"visit": Visit, "report": Report}
    problems = []
    by_record = {}
    for save in saves:
        by_record.setdefault((save.model, save.pk), []).append(save)
    for (model, pk), accepted in by_record.items():
        versions = Counter(save.version for save in accepted)
        problems += [
            f"{model} {pk}: {count} saves accepted from version {version}: {count - 1} of them lost"
            for version, count in sorted(versions.items())
            if count > 1
        ]
        top = max(save.version for save in accepted)
        last = [save for save in accepted if save.version == top]
        rows = models[model]._base_manager.filter(pk=pk).values_list(last[0].field, flat=True)
        held = rows.first()
        if held not in {save.value for save in last}:
            problems.append(
                f"{model} {pk}: {last[0].field} holds {held!r}, not {last[0].value!r} "
                "(its last save)"
            )
    for save in refused:
        record = models[save.model]
        held = record._base_manager.filter(pk=save.pk, **{save.field: save.value}).exists()
        if held or record.history.filter(id=save.pk, **{save.field: save.value}).exists():
            problems.append(
                f"{save.model} {save.pk}: a refused save's {save.field} {save.value!r} was kept"
            )
    for save in saves:
        history = models[save.model].history.filter(
            id=save.pk, history_type="~", history_user__username=save.username
        )
        if not history.filter(**{save.field: save.value}).exists():
            problems.append(
                f"{save.model} {save.pk}: no history record by {save.username} with "
                f"{save.field} = {save.value!r}"
            )
    accepted = Counter((save.model, save.pk, save.username) for save in saves)
    for (model, pk, username), count in accepted.items():
        recorded = models[model].history.filter(id=pk, history_user__username=username).count()
        if recorded != count:
            problems.append(
                f"{model} {pk}: the history holds {recorded} changes by {username}, "
                f"who had {count} saves accepted"
            )
    return problems


# Acting as a browser.


class FormParser(HTMLParser):
    """The fields a browser would submit for one form of a page (found by its id): the
    (name, value) pairs in document order, and the names of its file inputs (sent empty).
    Submit buttons are left out: the caller adds the one it clicks."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.found = form_id, False, False
        self.fields, self.files, self.enctype = [], [], "application/x-www-form-urlencoded"
        self.textarea = self.select = self.option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = self.found = True
            self.enctype = attrs.get("enctype") or self.enctype
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs}
            self.option["text"] = []
            self.select["options"].append(self.option)
        if not name or "disabled" in attrs:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                self.files.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    value = attrs.get("value")
                    self.fields.append((name, "on" if value is None else value))
            else:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea":
            self.textarea = (name, [])
        elif tag == "select":
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.option is not None:
            self.option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            text = "".join(parts)
            # A browser drops the newline right after <textarea>.
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.fields.append((name, text))
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and options and not self.select["multiple"]:
                chosen = options[:1]
            for option in chosen:
                value = option["value"]
                text = "".join(option["text"]).strip()
                self.fields.append((self.select["name"], text if value is None else value))
            self.select = self.option = None


@dataclass
class Form:
    fields: list
    files: list = field(default_factory=list)
    enctype: str = "application/x-www-form-urlencoded"

    def get(self, name):
        return next((value for key, value in self.fields if key == name), None)

    def set(self, name, value):
        """Replaces the field's (first) value, or adds the field."""
        for index, (key, _value) in enumerate(self.fields):
            if key == name:
                self.fields[index] = (name, value)
                return
        self.fields.append((name, value))

    def encode(self):
        """The request body and its content type, as a browser sends the form."""
        if self.enctype != "multipart/form-data":
            return urllib.parse.urlencode(self.fields).encode(), self.enctype
        boundary = "----LoadFormBoundary" + secrets.token_hex(12)
        parts = []
        for name, value in self.fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name in self.files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename=""'
                "\r\nContent-Type: application/octet-stream\r\n\r\n\r\n".encode()
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def parse_form(html, form_id):
    """The form with that id in an HTML page, as a browser would submit it; None if absent."""
    parser = FormParser(form_id)
    parser.feed(html)
    parser.close()
    if not parser.found:
        return None
    return Form(parser.fields, parser.files, parser.enctype)


def form_errors(html):
    """The error texts a Django form page shows (error lists and the error note), as text."""
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    found += re.findall(r'<p class="errornote">(.*?)</p>', html, re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in found]
    return "; ".join(text for text in texts if text)


def marked(text, mark):
    """The text with the load test's mark at its end, in place of an earlier run's."""
    base = MARK.sub("", text.strip())
    return f"{base} {mark}".strip()


class Browser:
    """One client: one persistent HTTP connection (http.client opens it again when the server
    closes it), its cookies, and the TLS proxy's header on every request."""

    def __init__(self, port=PORT, timeout=TIMEOUT):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies = {}

    def request(self, method, path, body=None, content_type=None, referer=None):
        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers.update(
                {"Content-Type": content_type, "Origin": ORIGIN, "Referer": ORIGIN + referer}
            )
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except BaseException:
            self.connection.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, content.decode("utf-8", "replace")

    def close(self):
        self.connection.close()


def error_text(error):
    if isinstance(error, TimeoutError):
        return f"timeout after {TIMEOUT:g} s"
    return f"socket error: {type(error).__name__}: {error}".rstrip(": ")


class Client:
    """One thread of the load: runs until the deadline, recording each request's outcome."""

    def __init__(self, number, deadline, aim):
        self.number, self.deadline, self.aim = number, deadline, aim
        self.rng = random.Random(SEED * 1000 + number)
        self.browser = Browser()
        self.outcomes, self.failures = [], []

    def timed(self, kind, method, path, expected=200, **kwargs):
        """(status, headers, body) of one request, or None when it failed at the socket
        level; records its outcome (an unexpected status counts as an error)."""
        began = time.monotonic()
        try:
            status, headers, body = self.browser.request(method, path, **kwargs)
        except (OSError, http.client.HTTPException) as error:
            self.record(kind, began, f"{error_text(error)} ({method} {path})")
            return None
        error = None if status == expected else f"HTTP {status}, not {expected} ({method} {path})"
        self.record(kind, began, error)
        return status, headers, body

    def record(self, kind, began, error=None):
        self.outcomes.append(Outcome(kind, time.monotonic() - began, error))

    def fail(self, message):
        """An error found after the request's outcome was recorded (counted on it)."""
        self.outcomes[-1].error = message

    def running(self):
        return time.monotonic() < self.deadline


class Reader(Client):
    def run(self):
        while self.running():
            kind = self.rng.choices(list(PUBLIC_MIX), weights=list(PUBLIC_MIX.values()))[0]
            self.timed(kind, "GET", public_path(kind, self.rng, self.aim))
        self.browser.close()


def public_path(kind, rng, aim):
    """A URL of that kind, with parameters drawn at random among valid ones."""
    code = rng.choice(aim["states"])

    def query(params):
        return "?" + urllib.parse.urlencode(params) if params else ""

    if kind == "home":
        return "/"
    if kind == "report list, filtered":
        params = rng.choice(
            [
                {},
                {"state": code},
                {"state": code, "year": rng.choice(aim["years"])},
                {"visit_type": rng.choice(["periodic", "ad_hoc"])},
                {"place_type": rng.choice(["police", "prison", "psychiatric", "immigration"])},
                {"language": "fr"},
                {"published_after": "2020-01-01", "sort": "oldest"},
                {"page": 2},
            ]
        )
        return "/reports/" + query(params)
    if kind == "report search (q)":
        return "/reports/" + query({"q": rng.choice(SEARCHES)})
    if kind == "one report":
        return f"/reports/{rng.choice(aim['reports'])}/"
    if kind == "States":
        return "/states/"
    if kind == "one State":
        return f"/states/{code}/"
    if kind == "non-cooperation summary":
        params = rng.choice(
            [{}, {"state": code}, {"kind": "access_refused"}, {"since": "2015-01-01"}]
            + [{"by_year": 1}]
        )
        return "/non-cooperation/" + query(params)
    if kind == "reports CSV export":
        return "/reports/export.csv" + query(rng.choice([{}, {"state": code}]))
    if kind == "reports JSON export":
        return "/reports/export.json" + query(rng.choice([{}, {"state": code}]))
    if kind == "non-cooperation CSV export":
        return "/non-cooperation/export.csv"
    raise ValueError(kind)


class Staff(Client):
    """Logs in, then opens and saves its records one after another. ``shared`` are the
    records other staff clients save too: a refusal by the lock is expected there."""

    def __init__(self, number, deadline, aim, username, password, records, shared=()):
        super().__init__(number, deadline, aim)
        self.username, self.password, self.records = username, password, records
        self.shared = set(shared)
        self.saves, self.refused = [], []

    def run(self):
        if self.log_in():
            count = 0
            while self.running():
                model, pk = self.records[count % len(self.records)]
                count += 1
                self.save(model, pk, count)
        self.browser.close()

    def not_accepted(self, save, status, page):
        """The form shown again with its errors (200), or the change page again (302 to
        itself) with the message of the model's lock (two saves raced past the form)."""
        outcome = self.outcomes[-1]
        if status == 302:
            path = f"/admin/visits/{save.model}/{save.pk}/change/"
            answer = self.timed("staff change form", "GET", path)
            page = answer[2] if answer else ""
        refused_by_lock = LOCK_REFUSAL in page
        if refused_by_lock and (save.model, save.pk) in self.shared:
            outcome.error = None
            self.refused.append(save)
            return
        errors = form_errors(page) or re.sub(r"\s+", " ", page)[:200]
        what = "refused by the lock" if refused_by_lock else "not accepted"
        outcome.error = f"save of {save.model} {save.pk} {what}: {errors}"
        self.refused.append(save)

    def log_in(self):
        path = "/admin/login/?next=/admin/"
        answer = self.timed("staff login", "GET", path)
        form = answer and parse_form(answer[2], "login-form")
        if form is None:
            if answer:
                self.fail("no login form")
            return False
        form.set("username", self.username)
        form.set("password", self.password)
        body, content_type = form.encode()
        answer = self.timed(
            "staff login", "POST", path, 302, body=body, content_type=content_type, referer=path
        )
        if answer and answer[1].get("Location") != "/admin/":
            self.fail(f"login refused: {form_errors(answer[2]) or answer[0]}")
            return False
        return answer is not None

    def save(self, model, pk, count):
        path = f"/admin/visits/{model}/{pk}/change/"
        answer = self.timed("staff change form", "GET", path)
        if answer is None or answer[0] != 200:
            return
        form = parse_form(answer[2], f"{model}_form")
        if form is None or form.get("seen_version") is None:
            self.fail(f"no change form with seen_version on {path}")
            return
        name = EDITED[model]
        value = marked(form.get(name) or "", f"[load {self.username} save {count}]")
        posted = Save(model, pk, name, value, self.username, int(form.get("seen_version")))
        form.set(name, value)
        form.fields.append(("_save", "Save"))
        body, content_type = form.encode()
        answer = self.timed(
            "staff save", "POST", path, 302, body=body, content_type=content_type, referer=path
        )
        if answer is None:
            return
        status, headers, page = answer
        location = urllib.parse.urlsplit(headers.get("Location") or "")
        if status != 302 or location.path == path:
            self.not_accepted(posted, status, page)
            return
        self.saves.append(posted)
        target = urllib.parse.urlunsplit(("", "", location.path, location.query, ""))
        answer = self.timed("staff list after a save", "GET", target)
        if answer and answer[0] == 200 and SAVED not in answer[2]:
            self.fail(f"no success message after saving {model} {pk}")


# The run.


def targets():
    """What the clients ask for, from the database through the public gate: the bench
    States with a public report, years, a sample of public reports."""
    from visits.models import Report, State

    public = Report.public_objects.all()
    states = sorted(
        State.private_objects.filter(name__startswith="Bench State ", reports__in=public)
        .values_list("code", flat=True)
        .distinct()
    )
    reports = list(public.order_by("id").values_list("id", flat=True))
    if not states or not reports:
        raise LoadFailed("The database holds no public report: nothing to read.")
    years = sorted({day.year for day in public.values_list("visits__start_on", flat=True)})
    sample = random.Random(SEED).sample(reports, min(500, len(reports)))
    return {"states": states, "years": years, "reports": sample, "public_reports": len(reports)}


def staff_records(staff_count, per_client, shared):
    """Each staff client's records, in the order it saves them, and the shared ones: its own
    ``per_client`` visits and as many reports (interleaved), and with ``shared`` one visit
    all of them save, after every two of their own."""
    from visits.models import Report, Visit

    rng = random.Random(SEED)
    bench = {"visit": Visit, "report": Report}
    picked = {}
    for model, manager in bench.items():
        ids = list(manager._base_manager.order_by("id").values_list("id", flat=True))
        wanted = staff_count * per_client + (shared if model == "visit" else 0)
        if len(ids) < wanted:
            raise LoadFailed(f"Only {len(ids)} {model}s: LOAD_STAFF_CLIENTS x LOAD_RECORDS too big")
        picked[model] = rng.sample(ids, wanted)
    common = [("visit", pk) for pk in picked["visit"][staff_count * per_client :]]
    lists = []
    for client in range(staff_count):
        own = [
            (model, picked[model][client * per_client + index])
            for index in range(per_client)
            for model in bench
        ]
        records = []
        for index, record in enumerate(own):
            records.append(record)
            if common and index % 2 == 1:
                records.append(common[0])
        lists.append(records)
    return lists, common


def create_accounts(env, run_id, count):
    """This run's staff accounts (Editors), made by create_staff_user with one generated
    password; earlier runs' accounts stay (their history records name them)."""
    password = secrets.token_urlsafe(18)
    names = [f"load-{run_id}-{number:02d}" for number in range(1, count + 1)]
    for name in names:
        shared.manage(
            "create_staff_user", name, "--group", "editors", env={**env, "STAFF_PASSWORD": password}
        )
    return names, password


def setup_django(env):
    """This process reads the database through the models too (the public gate, the checks
    after the run), with the server's settings."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()


def axes_report(usernames):
    """django-axes' view of this run's logins: (logins logged, failed attempts kept)."""
    from axes.models import AccessAttempt, AccessLog

    logins = AccessLog.objects.filter(username__in=usernames).count()
    failures = AccessAttempt.objects.filter(username__in=usernames).count()
    return logins, failures


def run_load(aim, accounts, password, records, common):
    deadline = time.monotonic() + SECONDS
    clients = [
        Staff(number, deadline, aim, name, password, records[number], common)
        for number, name in enumerate(accounts)
    ]
    clients += [Reader(number, deadline, aim) for number in range(len(clients), CLIENTS)]
    threads = [threading.Thread(target=client.run, daemon=True) for client in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    outcomes = [outcome for client in clients for outcome in client.outcomes]
    staff = [client for client in clients if isinstance(client, Staff)]
    saves = [save for client in staff for save in client.saves]
    refused = [save for client in staff for save in client.refused]
    return outcomes, saves, refused, elapsed


def log_problems(log):
    """Lines of gunicorn's error log that say a worker was killed or crashed."""
    try:
        text = Path(log).read_text(errors="replace")
    except OSError:
        return []
    signs = ("WORKER TIMEOUT", "[CRITICAL]", "[ERROR]", "Traceback")
    return [line for line in text.splitlines() if any(sign in line for sign in signs)]


def main():
    if STAFF_CLIENTS < 0 or max(1, STAFF_CLIENTS) > CLIENTS:
        raise LoadFailed("LOAD_CLIENTS must be at least 1 and at least LOAD_STAFF_CLIENTS.")
    if not shared.port_is_free(PORT):
        raise LoadFailed(f"Port {PORT} is busy: stop what uses it, or set LOAD_PORT.")
    now = datetime.datetime.now()
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    results_dir = ROOT / "bench-results"
    results_dir.mkdir(exist_ok=True)
    url = shared.ensure_database(DATABASE_URL)
    env = shared.production_env(url, CONN_MAX_AGE)
    shared.prepare(env)
    shared.fill(url, env, SCALE, SEED, "LOAD_SCALE")
    accounts, password = create_accounts(env, now.strftime("%Y%m%d%H%M%S"), STAFF_CLIENTS)
    setup_django(env)
    from django.db import connections

    aim = targets()
    records, common = staff_records(STAFF_CLIENTS, RECORDS, SHARED) if STAFF_CLIENTS else ([], [])
    counts = shared.row_counts(url)
    connections.close_all()

    log = results_dir / f"load-{stamp}-gunicorn.log"
    server = shared.Server(
        env,
        log,
        port=PORT,
        workers=WORKERS,
        worker_class=WORKER_CLASS,
        threads=THREADS,
        timeout=WORKER_TIMEOUT,
        port_setting="LOAD_PORT",
    )

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    workers = f"{WORKERS} {WORKER_CLASS} workers" + (
        f" of {THREADS} threads" if WORKER_CLASS == "gthread" else ""
    )
    load_before = shared.load_average()
    try:
        say(f"Starting gunicorn ({workers}) on {HOST}:{PORT}")
        server.start()
        say(
            f"Load: {CLIENTS} clients ({STAFF_CLIENTS} staff) for {SECONDS:g} s, "
            f"from {len(aim['reports']):,} public reports and {len(aim['states'])} States"
        )
        outcomes, saves, refused, elapsed = run_load(aim, accounts, password, records, common)
        alive = server.alive()
    finally:
        server.stop()
    load_after = shared.load_average()

    rows = summarize(outcomes, elapsed)
    shared_records = set(common)
    shared_saves = [save for save in saves if (save.model, save.pk) in shared_records]
    refused_shared = [save for save in refused if (save.model, save.pk) in shared_records]
    problems = verify_saves(saves, refused)
    logins, failed_logins = axes_report(accounts)
    crashes = log_problems(log)
    errors = Counter(outcome.error for outcome in outcomes if outcome.error)
    failed = bool(errors or problems or crashes or not alive or not outcomes)
    failed = failed or (STAFF_CLIENTS and not saves)

    header = [
        f"# Load test {stamp}",
        "",
        f"- code: {shared.git_revision()}; database: {shared.without_password(DATABASE_URL)}",
        "- data: "
        + ", ".join(f"{n:,} {label}" for label, n in counts.items())
        + f"; {aim['public_reports']:,} public reports",
        f"- server: gunicorn, {workers}, --timeout {WORKER_TIMEOUT}, debug off, "
        f"DJANGO_CONN_MAX_AGE={CONN_MAX_AGE}, behind a TLS proxy (X-Forwarded-Proto: https)",
        f"- load: {CLIENTS} clients for {SECONDS:g} s ({elapsed:.1f} s until the last answer), "
        f"{CLIENTS - STAFF_CLIENTS} readers and {STAFF_CLIENTS} staff, each its own connection, "
        f"no pause; client timeout {TIMEOUT:g} s",
        f"- machine: {os.cpu_count()} CPUs ({shared.cpu_model()}), Python "
        f"{platform.python_version()}; load average before {load_before}, after {load_after}",
    ]
    notes = [
        "Latencies are the client's, from sending the request to the last byte of the answer, "
        "failed requests included; with more clients than workers they include waiting for "
        "a worker. The load generator runs on the same machine and takes CPU too.",
        "",
        f"- staff saves accepted: {len(saves):,} on {len({(s.model, s.pk) for s in saves})} "
        f"records, {len(shared_saves)} of them on the visit all staff share; refused by the "
        f"optimistic lock there (expected): {len(refused_shared)}; refused elsewhere: "
        f"{len(refused) - len(refused_shared)}",
        "- checked after the run in the database and in the history: "
        + ("all accepted saves there, no refused one" if not problems else "PROBLEMS below"),
        f"- django-axes: {logins} logins logged for this run's {len(accounts)} accounts, "
        f"{failed_logins} failed attempts kept",
        f"- gunicorn's error log: {len(crashes)} worker errors or timeouts"
        + ("" if alive else "; gunicorn DIED during the run"),
    ]
    if errors:
        notes += ["", f"Errors ({sum(errors.values())}):"]
        notes += [f"- {count} x {error}" for error, count in errors.most_common(20)]
    if problems:
        notes += ["", "Saves not found after the run:"] + [f"- {p}" for p in problems[:20]]
    if crashes:
        notes += ["", "gunicorn's error log:"] + [f"- {line}" for line in crashes[:20]]
    body = table(rows)
    out = results_dir / f"load-{stamp}.md"
    shared.write_results(out, header, body, notes)
    say("")
    say("\n".join(header[2:]))
    say("")
    say(body)
    say("")
    say("\n".join(notes))
    say(f"\nWritten to {out.relative_to(ROOT)}")
    say("make load: FAILED" if failed else "make load: no error")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except shared.BenchFailed as failure:
        say(f"make load: {failure}")
        sys.exit(1)
    except KeyboardInterrupt:
        say("make load: interrupted")
        sys.exit(130)
    except subprocess.CalledProcessError as failure:
        say(f"make load: {' '.join(map(str, failure.cmd[:3]))} failed ({failure.returncode})")
        sys.exit(1)
