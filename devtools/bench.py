"""``make bench``: the public pages under load, on PostgreSQL with the bench data set.

Creates the database if it is missing, migrates it, fills it with ``generate_bench_data``
when it holds no visit, collects the static files into a temporary folder, starts gunicorn
(2 sync workers, debug off, behind a TLS proxy as in production: the requests carry
X-Forwarded-Proto: https) on 127.0.0.1 and
measures each page with wrk for BENCH_SECONDS, after a short warm-up. The CSV exports are
downloaded one at a time instead, for their rows per second and the growth of the
workers' memory (peak resident set, from /proc) during the download.

The pages: the home page; the report list plain, by State and year, searched for one word
and for three (in the reports' metadata and their versions' text), and at its deepest page;
one report; the search inside one report's text; one State; the recommendation list plain,
by State and theme, searched and at its deepest page; the non-cooperation summary; the API's
lists in JSON (/api/v1/reports/ plain, by State and type of visit and from a cursor as deep
as the report list's deepest page, /api/v1/recommendations/ plain and by State and theme);
and the CSV exports of the reports, of one State's recommendations and of the summary.
targets() chooses the State, year, type of visit, theme, reports and deep pages from the
data; the API's deep cursor is found by following its ``next`` links. Before the servers
start, the extraction of a generated 100-page PDF is timed (devtools.pdfs) for its pages per
second. Prints one table, writes it to bench-results/<timestamp>.md, stops what it started,
and exits 1 when a page failed (an error status, a socket error, a timeout, an export cut
short).

The floor is ``/language/en/?next=/``: a production view that answers a redirect through the
whole middleware stack and URL resolver, with no query and no template (it opens no
database connection). It is measured first and again last; each page's throughput is also
given as a ratio of the mean of the two (a gap between them says that something else took
the machine's CPU during the run).

Settings (environment):
  BENCH_DATABASE_URL   postgres://postgres@127.0.0.1:5432/tracker_bench
  BENCH_SCALE          1      scale of generate_bench_data, used only when the database is empty
  BENCH_SEED           1
  BENCH_PORT           8100   refused when busy
  BENCH_SECONDS        15     per page (the exports: at least one download, more until then)
  BENCH_WARMUP         3      seconds of load before each page's measurement
  BENCH_CONNECTIONS    4      wrk connections (two per worker: a worker never waits for one)
  BENCH_CONN_MAX_AGE   60     DJANGO_CONN_MAX_AGE of the server (persistent connections)
  BENCH_WORKER_TIMEOUT 30     gunicorn's --timeout (its default): a longer request is killed
"""

import atexit
import datetime
import functools
import http.client
import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg

from devtools.pdfs import extraction_throughput

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
LUA = str(Path(__file__).with_name("report.lua"))
HOST = "127.0.0.1"
WORKERS = 2
PAGE_SIZE = 25  # visits.parameters.PAGE_SIZE
DEEP_PAGE = 200  # visits.parameters.MAX_PAGES: the deepest page the list serves
# In about one English report summary in ten, one recommendation in ten and one English page
# of a report's text in ten (generate_bench_data, devtools/bench_text.py).
SEARCH = "restraint"
# Three words, each in many reports' text: "access" and "detention" (French pages hold
# "accès" and "détention", folded and stemmed alike) on most pages, "lawyer" on about one
# English page in seven.
SEARCH_THREE = "access lawyer detention"
EXTRACTION_PAGES = 100  # pages of the PDF whose extraction is timed
# The API's rows ask for JSON (visits/api/), as its clients do.
JSON = "application/json"
# The API's deep cursor: its next links followed API_DEEP_STEPS times, API_DEEP_LIMIT rows a
# page (visits.api.pagination.MAX_PAGE_SIZE), that is as deep as the report list's deepest
# page (DEEP_PAGE × PAGE_SIZE rows); then measured at the API's own page size.
API_DEEP_LIMIT = 200
API_DEEP_STEPS = DEEP_PAGE * PAGE_SIZE // API_DEEP_LIMIT
FLOOR = "/language/en/?next=/"
# As production runs it, behind a TLS-terminating proxy (README, "Deployment"): the bench is
# that proxy, and says so in the header the proxy sets.
PROXY_HEADER = ("X-Forwarded-Proto", "https")


def setting(name, default, kind=str):
    value = os.environ.get(name, "")
    return kind(value) if value.strip() else kind(default)


DATABASE_URL = setting("BENCH_DATABASE_URL", f"postgres://postgres@{HOST}:5432/tracker_bench")
SCALE = setting("BENCH_SCALE", "1", float)
SEED = setting("BENCH_SEED", "1", int)
PORT = setting("BENCH_PORT", "8100", int)
SECONDS = setting("BENCH_SECONDS", "15", float)
WARMUP = setting("BENCH_WARMUP", "3", float)
CONNECTIONS = setting("BENCH_CONNECTIONS", "4", int)
CONN_MAX_AGE = setting("BENCH_CONN_MAX_AGE", "60", int)
WORKER_TIMEOUT = setting("BENCH_WORKER_TIMEOUT", "30", int)


class BenchFailed(Exception):
    """Something that makes the run (not only one page) impossible."""


def say(message):
    print(message, flush=True)


# The database.


def conninfo(url):
    """psycopg's connection string for a postgres:// URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchFailed(f"BENCH_DATABASE_URL must be a PostgreSQL URL, not {url}")
    return parts, url.replace("pgsql://", "postgresql://", 1)


def ensure_database(database_url=DATABASE_URL):
    """Creates the database the URL names when it is missing; returns psycopg's URL."""
    parts, url = conninfo(database_url)
    name = parts.path.lstrip("/")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(conninfo(maintenance)[1], autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            say(f"Creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')
    return url


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def production_env(url, conn_max_age):
    """The server's environment, as production runs it (README, "Deployment"): debug off, a
    throwaway secret key, behind a TLS proxy, static files collected into a temporary folder
    (removed at exit) by prepare()."""
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    atexit.register(shutil.rmtree, static_root, True)
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),  # thrown away with the server
        "DJANGO_DEV_TOOLS": "0",  # production does not install them; fill() turns them on
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_CONN_MAX_AGE": str(conn_max_age),
        "DJANGO_TLS_PROXY": "1",
        "DJANGO_SSL_REDIRECT": "1",
        "DJANGO_STATIC_ROOT": static_root,  # collected for this run, removed after it
        # The API's rate limit per address would refuse wrk's load from one address (429).
        "DJANGO_API_RATE": "none",
        "PYTHONUNBUFFERED": "1",
    }


def prepare(env):
    """Migrates the database and collects the static files."""
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("collectstatic", "--no-input", "-v", "0", env=env)


def query(url, sql, params=()):
    with psycopg.connect(url) as connection:
        return connection.execute(sql, params).fetchall()


def query_one(url, sql, params=()):
    """The first row's first value."""
    return query(url, sql, params)[0][0]


# Public reports (visits.querysets.public_report): published by today, covering at least one
# visit, and every visit covered completed and ended by today.
PUBLIC_REPORT = """
    r.published_on <= %(today)s
    AND EXISTS (SELECT 1 FROM visits_reportvisit c WHERE c.report_id = r.id)
    AND NOT EXISTS (
        SELECT 1 FROM visits_reportvisit c JOIN visits_visit v ON v.id = c.visit_id
        WHERE c.report_id = r.id
        AND (v.status <> 'completed' OR v.end_on IS NULL OR v.end_on > %(today)s)
    )
"""
PUBLIC_REPORTS = f"""
    FROM visits_report r
    JOIN visits_state s ON s.id = r.state_id
    WHERE {PUBLIC_REPORT}
"""
# Public recommendations (visits.querysets.PublicRecommendationManager): those of a public
# report.
PUBLIC_RECOMMENDATIONS = f"""
    FROM visits_recommendation m
    JOIN visits_report r ON r.id = m.report_id
    JOIN visits_state s ON s.id = r.state_id
    WHERE {PUBLIC_REPORT}
"""


# The public report with the most pages (of its versions' text) whose vector, in the page's
# configuration (visits.search.pg_config), holds %(word)s, the first by id of those with as
# many; its number of such pages; the number of public reports with at least one.
REPORT_WITH_WORD = f"""
    SELECT d.report_id, count(*), count(*) OVER ()
    FROM visits_documentpage p JOIN visits_document d ON d.id = p.document_id
    WHERE d.report_id IN (SELECT r.id {PUBLIC_REPORTS})
    AND p.search @@ to_tsquery(('visits_' || p.config)::regconfig, %(word)s)
    GROUP BY d.report_id
    ORDER BY 2 DESC, 1
    LIMIT 1
"""


def targets(url):
    """What the pages ask for: the bench State with the most public reports, its year with
    the most (a report counts in the year each of its visits began, as the list's filter
    finds it), its type of visit with the most (likewise) and its theme with the most public
    recommendations, the median public report, the public report whose text holds SEARCH on
    the most pages (searched inside), deep pages of both lists that exist."""
    today = {"today": datetime.date.today()}
    total = query_one(url, f"SELECT count(*) {PUBLIC_REPORTS}", today)
    if not total:
        raise BenchFailed("The database holds no public report: nothing to measure.")
    code = query_one(
        url,
        f"SELECT s.code, count(*) {PUBLIC_REPORTS} AND s.name LIKE 'Bench State %%' "
        "GROUP BY s.code ORDER BY 2 DESC, 1 LIMIT 1",
        today,
    )
    year = query_one(
        url,
        "SELECT extract(year FROM v.start_on)::int, count(DISTINCT c.report_id) "
        "FROM visits_reportvisit c JOIN visits_visit v ON v.id = c.visit_id "
        f"WHERE c.report_id IN (SELECT r.id {PUBLIC_REPORTS} AND s.code = %(code)s) "
        "GROUP BY 1 ORDER BY 2 DESC, 1 DESC LIMIT 1",
        {**today, "code": code},
    )
    visit_type = query_one(
        url,
        "SELECT v.visit_type, count(DISTINCT c.report_id) "
        "FROM visits_reportvisit c JOIN visits_visit v ON v.id = c.visit_id "
        f"WHERE c.report_id IN (SELECT r.id {PUBLIC_REPORTS} AND s.code = %(code)s) "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1",
        {**today, "code": code},
    )
    report = query_one(
        url,
        f"SELECT r.id {PUBLIC_REPORTS} ORDER BY r.id OFFSET %(half)s LIMIT 1",
        {**today, "half": total // 2},
    )
    with_word = query(url, REPORT_WITH_WORD, {**today, "word": SEARCH})
    if not with_word:
        raise BenchFailed(
            f"The text of no public report holds {SEARCH!r} (bench data made before there were "
            "pages?): drop the database, or set BENCH_DATABASE_URL to another, to generate it "
            "anew."
        )
    searched_report, searched_pages, searchable = with_word[0]
    recommendations = query_one(url, f"SELECT count(*) {PUBLIC_RECOMMENDATIONS}", today)
    if not recommendations:
        raise BenchFailed(
            "The database holds no public recommendation (bench data made before there were "
            "any?): drop it, or set BENCH_DATABASE_URL to another, to generate it anew."
        )
    theme = query_one(
        url,
        "SELECT t.code, count(*) FROM visits_recommendation_themes mt "
        "JOIN visits_theme t ON t.id = mt.theme_id "
        f"WHERE mt.recommendation_id IN (SELECT m.id {PUBLIC_RECOMMENDATIONS} "
        "AND s.code = %(code)s) GROUP BY t.code ORDER BY 2 DESC, 1 LIMIT 1",
        {**today, "code": code},
    )
    return {
        "public_reports": total,
        "public_recommendations": recommendations,
        "state": code,
        "year": year,
        "visit_type": visit_type,
        "theme": theme,
        "report": report,
        "searched_report": searched_report,
        "searched_pages": searched_pages,
        "reports_with_word": searchable,
        "deep_page": min(DEEP_PAGE, math.ceil(total / PAGE_SIZE)),
        "recommendations_deep_page": min(DEEP_PAGE, math.ceil(recommendations / PAGE_SIZE)),
    }


COUNTED = [
    ("States", "visits_state", "name LIKE 'Bench State %%'"),
    ("places", "visits_facility", None),
    ("visits", "visits_visit", None),
    ("visited places", "visits_visitedplace", None),
    ("reports", "visits_report", None),
    ("visits covered by reports", "visits_reportvisit", None),
    ("responses", "visits_response", None),
    ("refusals", "visits_cooperationrefusal", None),
    ("public statements", "visits_publicstatement", None),
    ("documents", "visits_document", None),
    ("pages of documents", "visits_documentpage", None),
    ("recommendations", "visits_recommendation", None),
    ("assessments", "visits_assessment", None),
]


def row_counts(url):
    counts = {}
    for label, table, where in COUNTED:
        sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        counts[label] = query_one(url, sql)
    return counts


def fill(url, env, scale=SCALE, seed=SEED, scale_setting="BENCH_SCALE"):
    visits = query_one(url, "SELECT count(*) FROM visits_visit")
    if not visits:
        say(f"Filling the database with bench data at scale {scale:g} (seed {seed})")
        dev_env = {**env, "DJANGO_DEV_TOOLS": "1"}  # the command lives in devtools/
        manage("generate_bench_data", "--scale", str(scale), "--seed", str(seed), env=dev_env)
        return
    bench = query_one(url, "SELECT count(*) FROM visits_state WHERE name LIKE 'Bench State %%'")
    if not bench:
        raise BenchFailed(
            f"{without_password(url)} holds {visits} visits and no bench data: "
            "use another database."
        )
    say(f"Using the bench data already there ({visits:,} visits; {scale_setting} is not applied)")


# The server.


def port_is_free(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) != 0


class Server:
    """gunicorn on HOST:port, stopped by stop() (also on Ctrl-C and SIGTERM). devtools/load.py
    starts it with other settings (``port_setting`` names the variable that chooses the port)."""

    def __init__(
        self,
        env,
        log,
        port=PORT,
        workers=WORKERS,
        worker_class="sync",
        threads=1,
        timeout=WORKER_TIMEOUT,
        port_setting="BENCH_PORT",
    ):
        self.env, self.log, self.process = env, log, None
        self.port, self.worker_count, self.worker_class = port, workers, worker_class
        self.threads, self.timeout, self.port_setting = threads, timeout, port_setting

    def start(self):
        if not port_is_free(self.port):
            raise BenchFailed(
                f"Port {self.port} is busy: stop what uses it, or set {self.port_setting}."
            )
        command = [
            GUNICORN,
            "tracker.wsgi:application",
            f"--workers={self.worker_count}",
            f"--worker-class={self.worker_class}",
            *([f"--threads={self.threads}"] if self.worker_class == "gthread" else []),
            f"--bind={HOST}:{self.port}",
            f"--timeout={self.timeout}",
            "--log-level=warning",
            f"--error-logfile={self.log}",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchFailed(f"gunicorn exited at start-up (see {self.log})")
            try:
                status, _body = get(FLOOR, port=self.port)
                if status < 400 and len(self.workers()) == self.worker_count:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchFailed(f"gunicorn did not answer within 30 s (see {self.log})")

    def workers(self):
        """The worker processes' ids (children of the master)."""
        if self.process is None:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after the ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                children.append(int(entry.name))
        return children

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# TCP states of a connection a worker has still to answer: established, SYN received, or
# closed by the client (wrk at the end of a run) but not yet by the server.
UNANSWERED = {"01", "03", "08"}


def drain(timeout=300):
    """Wait until the server has answered every connection, including those wrk gave up
    at the end of a run: otherwise their work would count against the next measurement."""
    local = f"0100007F:{PORT:04X}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open("/proc/net/tcp") as table:
            busy = [
                line
                for line in table.read().splitlines()[1:]
                if line.split()[1] == local and line.split()[3] in UNANSWERED
            ]
        if not busy:
            return
        time.sleep(0.05)
    raise BenchFailed(f"The server still had connections to answer after {timeout} s.")


def fetch(path, timeout=120, port=None, accept=None):
    """The status, the Content-Type and the body of one GET (asking for ``accept``)."""
    headers = dict([PROXY_HEADER, *([("Accept", accept)] if accept else [])])
    connection = http.client.HTTPConnection(HOST, port or PORT, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def get(path, timeout=120, port=None):
    status, _content_type, body = fetch(path, timeout, port)
    return status, body


def get_json(path):
    """An API answer, decoded; BenchFailed unless it is a 200 in JSON."""
    status, content_type, body = fetch(path, accept=JSON)
    if status != 200 or not content_type.startswith(JSON):
        raise BenchFailed(f"{path} answered {status} {content_type}, not 200 in JSON")
    return json.loads(body)


def local_path(link):
    """The path and query of a link the API gave (absolute: https://host/...)."""
    parts = urllib.parse.urlsplit(link)
    return urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))


def deep_cursor(path, steps=API_DEEP_STEPS, limit=API_DEEP_LIMIT, read=get_json):
    """``path``, an API list, from the cursor that following its ``next`` links ``steps``
    times, ``limit`` rows a page, leads to (steps × limit rows in), at the list's own page
    size. ``read`` answers a path with the decoded JSON."""
    separator = "&" if "?" in path else "?"
    link = f"{path}{separator}{urllib.parse.urlencode({'limit': limit})}"
    for step in range(steps):
        link = read(local_path(link))["next"]
        if link is None:
            raise BenchFailed(f"{path} ends within {(step + 1) * limit:,} rows")
    parts = urllib.parse.urlsplit(local_path(link))
    kept = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "limit"]
    return urllib.parse.urlunsplit(("", "", parts.path, urllib.parse.urlencode(kept), ""))


# Measurements.


def wrk(path, seconds, accept=None):
    command = [
        "wrk",
        "--threads=1",
        f"--connections={CONNECTIONS}",
        f"--duration={max(1, round(seconds))}s",
        f"--timeout={max(60, WORKER_TIMEOUT + 5)}s",
        f"--script={LUA}",
        f"--header={': '.join(PROXY_HEADER)}",
        *([f"--header=Accept: {accept}"] if accept else []),
        f"http://{HOST}:{PORT}{path}",
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = [line for line in run.stdout.splitlines() if line.startswith("BENCH ")]
    if run.returncode or not lines:
        raise BenchFailed(f"wrk failed on {path}: {run.stderr.strip() or run.stdout.strip()}")
    return json.loads(lines[-1][len("BENCH ") :])


def measure_page(path, expected_status, accept=None):
    """wrk's figures for ``path``, asking for ``accept`` (the API: JSON) when given."""
    started = time.monotonic()
    status, content_type, body = fetch(path, accept=accept)
    first = (time.monotonic() - started) * 1000  # what the first visitor waits, cache cold
    if status != expected_status:
        return {"failure": f"answered {status}, not {expected_status}"}
    if accept and not content_type.startswith(accept):
        return {"failure": f"answered {content_type or 'no Content-Type'}, not {accept}"}
    if accept == JSON and not json.loads(body).get("results"):
        return {"failure": "answered an empty list"}
    if WARMUP:
        wrk(path, WARMUP, accept)
        drain()
    result = wrk(path, SECONDS, accept)
    drain()
    seconds = result["duration_us"] / 1e6
    errors = {
        kind: result[kind]
        for kind in ("connect", "read", "write", "status", "timeout")
        if result[kind]
    }
    if not result["requests"]:
        return {"requests": 0, "failure": f"no request completed in {SECONDS:g} s"}
    measured = {
        "requests": result["requests"],
        "rps": result["requests"] / seconds,
        "p50": result["p50_us"] / 1000,
        "p95": result["p95_us"] / 1000,
        "first": first,
    }
    if errors:
        measured["failure"] = "wrk counted errors: " + ", ".join(
            f"{n} {kind}" for kind, n in errors.items()
        )
    return measured


def memory_kb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


class PeakMemory:
    """The largest growth of any worker's resident set during a download: its peak (VmHWM,
    reset through clear_refs before the download; or VmRSS sampled every 10 ms where the
    peak cannot be reset) less its resident set before. Sampling also keeps the peak of a
    worker killed during the download."""

    def __init__(self, server):
        self.server, self.before, self.peak = server, {}, {}
        self.stopping = threading.Event()
        self.field = "VmHWM"

    def __enter__(self):
        for pid in self.server.workers():
            self.before[pid] = memory_kb(pid, "VmRSS")
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                self.field = "VmRSS"
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self

    def read(self):
        for pid, before in self.before.items():
            now = memory_kb(pid, self.field)
            if before is not None and now is not None:
                self.peak[pid] = max(self.peak.get(pid, 0), now)

    def sample(self):
        while not self.stopping.wait(0.01):
            self.read()

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join()
        self.read()

    def growth_mb(self):
        growths = [self.peak[pid] - self.before[pid] for pid in self.peak]
        return max(growths) / 1024 if growths else None


def measure_export(server, path, expected_rows, header_lines):
    """Downloads one after another for SECONDS (at least one): requests per second,
    latency, rows per second and the workers' memory growth."""
    durations, rows, growths, failure = [], 0, [], None
    started = time.monotonic()
    while not durations or time.monotonic() - started < SECONDS:
        with PeakMemory(server) as memory:
            began = time.monotonic()
            try:
                status, body = get(path, timeout=WORKER_TIMEOUT + 60)
            except http.client.IncompleteRead as cut:
                status, body = 200, cut.partial  # the worker was killed: count what came
            except (OSError, http.client.HTTPException) as error:
                status, body = None, b""
                failure = f"download failed: {error!r}"
            took = time.monotonic() - began
        durations.append(took)
        growths.append(memory.growth_mb())
        received = max(0, body.count(b"\n") - header_lines)
        rows += received
        if status != 200 and not failure:
            failure = f"answered {status}"
        elif received != expected_rows and not failure:
            failure = (
                f"cut short after {took:.1f} s: {received:,} of {expected_rows:,} rows "
                f"(gunicorn's worker timeout is {WORKER_TIMEOUT} s)"
            )
        if failure:
            break
    ordered = sorted(durations)
    measured = {
        "requests": len(durations),
        "rps": len(durations) / sum(durations),
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000,
        "rows_per_s": rows / sum(durations),
        "rss_mb": max((g for g in growths if g is not None), default=None),
    }
    if failure:
        measured["failure"] = failure
    return measured


def expected_export_rows(url, public=PUBLIC_REPORTS):
    """The rows of an export: one per public report, or per row of ``public``."""
    today = {"today": datetime.date.today()}
    return query_one(url, f"SELECT count(*) {public}", today)


# The table.


def number(value, digits=0):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def ratio_text(ratio):
    """Three decimals, or two significant digits below 0.01 (0.00031, not 0.000)."""
    if ratio is None:
        return "–"
    if ratio >= 0.01 or ratio == 0:
        return f"{ratio:.3f}"
    return f"{ratio:.{1 - math.floor(math.log10(ratio))}f}"


def table(results, floor_rps):
    lines = [
        "| page | URL | requests | requests/s | p50 ms | p95 ms | × floor | first request ms "
        "| rows/s | RSS growth MB |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, path, measured in results:
        rps = measured.get("rps")
        ratio = rps / floor_rps if rps and floor_rps else None
        lines.append(
            "| "
            + " | ".join(
                [
                    label + (" **FAILED**" if "failure" in measured else ""),
                    f"`{path}`",
                    number(measured.get("requests")),
                    number(rps, 1),
                    number(measured.get("p50"), 1),
                    number(measured.get("p95"), 1),
                    ratio_text(ratio),
                    number(measured.get("first"), 1),
                    number(measured.get("rows_per_s")),
                    number(measured.get("rss_mb"), 1),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def git_revision():
    run = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return run.stdout.strip() or "unknown"


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average():
    return "%.2f %.2f %.2f" % os.getloadavg()


def without_password(url):
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def write_results(path, header, body, notes):
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join([*header, "", body, "", *notes, ""]))


def main():
    if shutil.which("wrk") is None:
        raise BenchFailed("wrk is not installed (Debian: apt-get install wrk).")
    if not port_is_free(PORT):
        raise BenchFailed(f"Port {PORT} is busy: stop what uses it, or set BENCH_PORT.")
    stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    results_dir = ROOT / "bench-results"
    results_dir.mkdir(exist_ok=True)
    url = ensure_database()
    env = production_env(url, CONN_MAX_AGE)
    prepare(env)
    fill(url, env)
    counts = row_counts(url)
    aim = targets(url)
    export_rows = expected_export_rows(url)
    # One State's recommendations (about 50,000): the whole list, 1.2 million rows with a
    # status computed for each, takes longer than gunicorn's worker timeout on a small
    # machine (docs/decisions.md).
    recommendation_rows = query_one(
        url,
        f"SELECT count(*) {PUBLIC_RECOMMENDATIONS} AND s.code = %(code)s",
        {"today": datetime.date.today(), "code": aim["state"]},
    )
    public_pages = [
        ("home", "/", "wrk", 200),
        ("reports", "/reports/", "wrk", 200),
        (
            "reports by State and year",
            f"/reports/?state={aim['state']}&year={aim['year']}",
            "wrk",
            200,
        ),
        ("reports searched, one word", f"/reports/?q={SEARCH}", "wrk", 200),
        (
            "reports searched, three words",
            "/reports/?" + urllib.parse.urlencode({"q": SEARCH_THREE}),
            "wrk",
            200,
        ),
        ("reports, deep page", f"/reports/?page={aim['deep_page']}", "wrk", 200),
        ("one report", f"/reports/{aim['report']}/", "wrk", 200),
        (
            "search inside one report",
            f"/reports/{aim['searched_report']}/search/?q={SEARCH}",
            "wrk",
            200,
        ),
        ("one State", f"/states/{aim['state']}/", "wrk", 200),
        ("recommendations", "/recommendations/", "wrk", 200),
        (
            "recommendations by State and theme",
            f"/recommendations/?state={aim['state']}&theme={aim['theme']}",
            "wrk",
            200,
        ),
        ("recommendations searched", f"/recommendations/?q={SEARCH}", "wrk", 200),
        (
            "recommendations, deep page",
            f"/recommendations/?page={aim['recommendations_deep_page']}",
            "wrk",
            200,
        ),
        ("non-cooperation summary", "/non-cooperation/", "wrk", 200),
    ]
    # The API's lists in JSON, measured like the pages. The deep cursor is found by following
    # next links on the first server, when its row comes (after the others' first requests,
    # which it would warm); the second server takes it too (one secret key for both).
    api_pages = [
        ("API reports", "/api/v1/reports/", "api", 200),
        (
            "API reports by State and type of visit",
            f"/api/v1/reports/?state={aim['state']}&visit_type={aim['visit_type']}",
            "api",
            200,
        ),
        (
            f"API reports, cursor {API_DEEP_STEPS * API_DEEP_LIMIT:,} deep",
            functools.cache(lambda: deep_cursor("/api/v1/reports/")),
            "api",
            200,
        ),
        ("API recommendations", "/api/v1/recommendations/", "api", 200),
        (
            "API recommendations by State and theme",
            f"/api/v1/recommendations/?state={aim['state']}&theme={aim['theme']}",
            "api",
            200,
        ),
    ]
    # Two servers, one after the other: the first with whole pages kept out of the cache
    # (DJANGO_PAGE_CACHE=0: each request renders its page; counts and facets stay cached
    # until the data changes), the second as production runs (pages cached too).
    phases = [
        (
            "page cache off",
            {**env, "DJANGO_PAGE_CACHE": "0"},
            [("floor (no query, no template)", FLOOR, "wrk", 302), *public_pages, *api_pages],
        ),
        (
            "cached",
            env,
            [
                *public_pages,
                *api_pages,
                ("reports CSV export", "/reports/export.csv", "export", (export_rows, 1)),
                (
                    "recommendations CSV export, one State",
                    f"/recommendations/export.csv?state={aim['state']}",
                    "export",
                    (recommendation_rows, 1),
                ),
                ("non-cooperation CSV export", "/non-cooperation/export.csv", "export", None),
                ("floor, again at the end", FLOOR, "wrk", 302),
            ],
        ),
    ]
    pages = [page for _phase, _env, phase_pages in phases for page in phase_pages]
    say(f"Timing the extraction of a generated {EXTRACTION_PAGES}-page PDF")
    extraction = extraction_throughput(EXTRACTION_PAGES)
    server = None

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    results, started = [], time.monotonic()
    load_before = load_average()
    try:
        for phase, phase_env, phase_pages in phases:
            server = Server(phase_env, results_dir / f"{stamp}-gunicorn.log")
            say(f"Starting gunicorn ({WORKERS} sync workers) on {HOST}:{PORT}: {phase}")
            server.start()
            for label, path, kind, expected in phase_pages:
                label = label if kind == "export" or path == FLOOR else f"{label} ({phase})"
                if callable(path):  # the API's deep cursor, found now
                    try:
                        path = path()
                    except BenchFailed as failure:
                        say(f"  {label}: FAILED: {failure}")
                        results.append((label, "(no cursor)", {"failure": str(failure)}))
                        continue
                say(f"  {label}: {path}")
                if kind == "wrk":
                    measured = measure_page(path, expected)
                elif kind == "api":
                    measured = measure_page(path, expected, accept=JSON)
                else:
                    if expected is None:
                        # The summary's rows: count them from one download (heading lines:
                        # the title row and the column names).
                        _status, body = get(path, timeout=WORKER_TIMEOUT + 60)
                        expected = (max(0, body.count(b"\n") - 2), 2)
                    measured = measure_export(server, path, *expected)
                if not server.alive():
                    measured["failure"] = "gunicorn died"
                results.append((label, path, measured))
                if "failure" in measured:
                    say(f"    FAILED: {measured['failure']}")
                if not server.alive():
                    break
            server.stop()
            server = None
    finally:
        if server is not None:
            server.stop()
    floors = [m["rps"] for _l, path, m in results if path == FLOOR and m.get("rps")]
    body = table(results, statistics.mean(floors) if floors else None)
    header = [
        f"# Benchmark {stamp}",
        "",
        f"- code: {git_revision()}; database: {without_password(DATABASE_URL)}",
        "- data: "
        + ", ".join(f"{n:,} {label}" for label, n in counts.items())
        + f"; {aim['public_reports']:,} public reports, "
        + f"{aim['public_recommendations']:,} public recommendations; "
        + f'{aim["reports_with_word"]:,} public reports whose text holds "{SEARCH}" '
        + f"(the one searched inside, on {aim['searched_pages']:,} pages)",
        f"- server: gunicorn, {WORKERS} sync workers, --timeout {WORKER_TIMEOUT}, debug off, "
        f"DJANGO_CONN_MAX_AGE={CONN_MAX_AGE}, behind a TLS proxy (X-Forwarded-Proto: https) "
        "as in production; cache: "
        + (env.get("CACHE_URL") or "local memory (the default)")
        + '; started twice: "page cache off" (DJANGO_PAGE_CACHE=0, counts and facets '
        'cached), then "cached" (as in production); the API without its rate limit '
        "(DJANGO_API_RATE=none)",
        f"- load: wrk -t1 -c{CONNECTIONS}, {SECONDS:g} s a page after {WARMUP:g} s of warm-up "
        f"(the API's rows with Accept: {JSON}); exports downloaded one at a time",
        f"- text extraction: {extraction:,.0f} pages/s (visits.extraction on a generated "
        f"{EXTRACTION_PAGES}-page PDF of about 3,000 characters a page, no OCR, timed once in "
        "the bench's process before the servers start)",
        f"- machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}; "
        f"load average before {load_before}, after {load_average()}",
        f"- took {time.monotonic() - started:.0f} s",
    ]
    failures = [(label, m["failure"]) for label, _p, m in results if "failure" in m]
    missing = [label for label, *_ in pages[len(results) :]]
    notes = [
        "The floor is a production view that answers a redirect through the whole middleware "
        'stack, with no query and no template, measured first and last. "× floor" is a '
        "page's requests/s over the mean of the floor's two. Latencies are wrk's, with "
        f"{CONNECTIONS} connections on {WORKERS} workers "
        "(so they include waiting for a worker). Exports: one download at a time; rows/s is "
        "rows received over time taken; RSS growth is the largest growth of a worker's peak "
        'resident memory during a download. "first request" is one request made alone '
        "before the measurement, on a server just started: what the first visitor after a "
        "change to the published data waits (its counts and facets computed, not cached).",
        "",
        "The API's rows (JSON, 25 items a page; the deep cursor found by following next links "
        f"{API_DEEP_STEPS} times with limit={API_DEEP_LIMIT}) have targets: page cache off, at "
        "least 0.10 × floor and p95 under 50 ms.",
    ]
    if failures or missing:
        notes.append("")
        notes += [f"- FAILED {label}: {why}" for label, why in failures]
        notes += [f"- NOT MEASURED {label}" for label in missing]
    out = results_dir / f"{stamp}.md"
    write_results(out, header, body, notes)
    say("")
    say("\n".join(header[2:]))
    say("")
    say(body)
    say("")
    say("\n".join(notes))
    say(f"\nWritten to {out.relative_to(ROOT)}")
    return 1 if failures or missing else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchFailed as failure:
        say(f"make bench: {failure}")
        sys.exit(1)
    except KeyboardInterrupt:
        say("make bench: interrupted")
        sys.exit(130)
    except subprocess.CalledProcessError as failure:
        say(f"make bench: {' '.join(map(str, failure.cmd[:3]))} failed ({failure.returncode})")
        sys.exit(1)
