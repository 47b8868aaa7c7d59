#!/usr/bin/env python
"""Page budgets: p95 latency at 20 concurrent clients, and first-load weight in Chromium.

    .venv/bin/python benchmarks/pages.py                 # SQLite and PostgreSQL, then Chromium
    .venv/bin/python benchmarks/pages.py --db sqlite     # one database only
    .venv/bin/python benchmarks/pages.py --no-browser    # latency only
    .venv/bin/python benchmarks/pages.py --no-cache      # every request renders in full

Budget (product.md): the calendar, the activity page and the kiosk check-in answer in p95 < 100 ms
at 20 concurrent clients on this machine, on SQLite and PostgreSQL, and weigh < 100 KB transferred
on first load.

How: for each database, a fresh database is migrated and seeded with the demo data
(`seed_demo --seed 1`), static files are collected, and gunicorn serves the app on 127.0.0.1
with production settings (DEBUG off, whitenoise serving compressed static files) and the README's
production workers (`-w 4`, sync; `--gunicorn` to try others). PostgreSQL is
a throwaway server from scripts/pg-throwaway.sh on its own port. The load generator is Python
threads with http.client (one keep-alive connection per client): a warm-up, then a fixed number
of requests per client, bounded in time. Measured side by side in the same run, as the floor:
/healthz (no database work) and a static file (whitenoise). Note that the load generator shares
the machine's cores with gunicorn, as a real reverse proxy would.

The clients are anonymous and repeat the same pages, so after the first request per gunicorn
worker they are answered from the public page cache (activities/views_public.py; locmem, one
per worker). --no-cache switches it off (DummyCache) to show the cost of a full render: what a
logged-in member pays, and what an anonymous visitor pays right after a write.

The browser part opens each page once in a fresh Debian Chromium profile (empty cache) and sums
what came over the wire (headers + encoded bodies, as served: whitenoise's gzip for CSS/JS).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SLUG = "buurtkamer"
BUDGET_MS = 100.0
BUDGET_KB = 100.0
BUDGET_CLIENTS = 20
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# --- helpers ------------------------------------------------------------------------------


DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"


def app_env(database_url: str, *, cache: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "verbinding.config.settings",
        "DATABASE_URL": database_url,
        "VERBINDING_DEBUG": "0",
        "VERBINDING_HTTPS": "0",
        "VERBINDING_TESTING": "0",
        "VERBINDING_ALLOWED_HOSTS": "127.0.0.1",
        "VERBINDING_SECRET_KEY": secrets.token_urlsafe(48),
        "VERBINDING_LOG_LEVEL": "ERROR",
    })
    if not cache:
        # Every request renders in full: the cost of a cache miss (after a write, a new day, a
        # new language or filter, or for a logged-in member, who is never served from it).
        env["VERBINDING_CACHE_BACKEND"] = DUMMY_CACHE
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PY, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return result.stdout


def ensure_postgres_database(database_url: str) -> None:
    """pg-throwaway.sh starts a bare cluster; create the database named in the URL."""
    import psycopg

    match = re.match(r"postgres(?:ql)?://([^@/]+)@([^:/]+):(\d+)/(\w+)", database_url)
    if not match:
        raise SystemExit(f"cannot read {database_url}")
    user, host, port, name = match.groups()
    with psycopg.connect(host=host, port=int(port), user=user, dbname="postgres",
                         autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def start_gunicorn(env: dict[str, str], port: int, gunicorn_args: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [GUNICORN, *gunicorn_args.split(), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "verbinding.config.wsgi"],
        env=env, cwd=ROOT, start_new_session=True,
    )
    try:
        wait_until_up(port)
    except BaseException:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # gunicorn and its own workers only
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return r.read().decode()


def discover_paths(port: int) -> dict[str, list[str]]:
    calendar = f"/{SLUG}/"
    html = get(port, calendar)
    activities = sorted(set(re.findall(rf'href="(/{SLUG}/activities/\d+/)"', html)))
    if not activities:
        raise SystemExit("the calendar links to no activity page; is the demo seeded?")
    statics = re.findall(r'(?:href|src)="(/static/[^"]+\.css)"', html)
    if not statics:
        raise SystemExit("the calendar links to no stylesheet")
    return {
        "healthz (floor)": ["/healthz"],
        "static css (floor)": [statics[0]],
        "calendar": [calendar],
        "activity page": activities,
    }


# --- load -------------------------------------------------------------------------------


def hammer(port: int, paths: list[str], *, clients: int, warmup: int, requests: int,
           max_seconds: float, plan=None, headers_for=None, ok=("200",)) -> dict:
    """`clients` threads, each on its own keep-alive connection: `warmup` requests, then
    `requests` timed ones (paths in rotation), stopping early after `max_seconds`.

    `plan(number, i)` may give each request instead, as (method, path, body) — the kiosk's
    check-ins, each a different person; `headers_for(number)` adds a client's own headers
    (its login cookie); `ok` are the statuses that count as answered."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline_box: list[float] = []

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Accept-Encoding": "gzip", "Accept-Language": "nl",
                   **(headers_for(number) if headers_for else {})}
        mine: list[float] = []
        bad: dict[str, int] = {}

        def one(request) -> float | None:
            nonlocal conn
            method, path, body = request if isinstance(request, tuple) else ("GET", request, None)
            sent = headers if body is None else {
                **headers, "Content-Type": "application/x-www-form-urlencoded"}
            started = time.perf_counter()
            outcome = ""
            for attempt in (1, 2):
                try:
                    conn.request(method, path, body=body, headers=sent)
                    response = conn.getresponse()
                    response.read()
                    outcome = str(response.status)
                    break
                except (OSError, http.client.HTTPException) as error:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    outcome = type(error).__name__
                    # gunicorn closes a keep-alive connection that waited in its queue longer
                    # than its keep-alive time; like a browser, retry a GET once on a fresh
                    # connection (the time of both attempts counts).
                    if attempt == 1 and isinstance(error, http.client.RemoteDisconnected):
                        continue
                    break
            elapsed = (time.perf_counter() - started) * 1000
            if outcome in ok:
                return elapsed
            bad[outcome] = bad.get(outcome, 0) + 1
            return None

        for i in range(warmup):
            one(plan(number, i) if plan else paths[(number + i) % len(paths)])
        barrier.wait()
        deadline = deadline_box[0]
        for i in range(requests):
            if time.monotonic() > deadline:
                break
            result = one(plan(number, warmup + i) if plan else paths[(number * 7 + i) % len(paths)])
            if result is not None:
                mine.append(result)
        conn.close()
        with lock:
            latencies.extend(mine)
            for outcome, count in bad.items():
                errors[outcome] = errors.get(outcome, 0) + count

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    deadline_box.append(time.monotonic() + max_seconds + 60)
    barrier.wait()
    deadline_box[0] = time.monotonic() + max_seconds
    started = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, round(p / 100 * (len(latencies) - 1)))]

    return {
        "n": len(latencies), "errors": sum(errors.values()), "error_kinds": errors, "p50": pct(50), "p95": pct(95), "p99": pct(99),
        "max": latencies[-1] if latencies else float("nan"),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
        "rps": len(latencies) / wall if wall else 0.0,
    }


def measure_database(label: str, database_url: str, args) -> dict:
    env = app_env(database_url, cache=args.cache)
    if not args.cache:
        label += ", no cache"
    if database_url.startswith("postgres"):
        ensure_postgres_database(database_url)
    t0 = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    seeded = manage(env, "seed_demo", "--seed", "1", "--if-empty")
    seed_line = next((line for line in seeded.splitlines() if line.startswith("Demo data")), "")
    manage(env, "collectstatic", "--noinput", "-v0")
    setup_s = time.monotonic() - t0
    port = args.port or free_port()
    proc = start_gunicorn(env, port, args.gunicorn)
    try:
        paths = discover_paths(port)
        # Every worker answers each page a few times first: Django's first request in a worker
        # (URL resolver, templates) is slow, and with several workers a single client may not
        # reach them all during its own warm-up.
        for targets in paths.values():
            hammer(port, targets, clients=8, warmup=0, requests=4, max_seconds=30)
        rows = []
        load = os.getloadavg()[0]
        for clients in args.concurrency:
            for name, targets in paths.items():
                stats = hammer(port, targets, clients=clients, warmup=args.warmup,
                               requests=args.requests, max_seconds=args.max_seconds)
                rows.append({"database": label, "endpoint": name, "paths": len(targets),
                             "clients": clients, **stats})
        kiosk = None
        if args.kiosk:
            kiosk = prepare_kiosk(env, args)
            rows += measure_kiosk(port, env, kiosk, label, args)
        weights = browser_weights(port, paths, kiosk) if args.browser else []
    finally:
        stop(proc)
    return {"label": label, "setup_s": setup_s, "seed": seed_line, "rows": rows,
            "weights": weights, "load_before": load,
            "kiosk_writes": kiosk and kiosk.get("writes")}


# --- the kiosk at the door ------------------------------------------------------------------

KIOSK_USER = f"{SLUG}-kiosk"  # made by seed_demo, with the demo password
DEMO_PASSWORD = "verbinding-demo"  # noqa: S105 — attendance/demo.py's public demo password
KIOSK_SETUP = """
import datetime as dt, json
from django.utils import timezone
from verbinding.activities.models import Activity, Session
from verbinding.core.models import Initiative
from verbinding.people.models import Person
ini = Initiative.objects.get(slug=%(slug)r)
people = list(Person.objects.filter(initiative=ini, anonymised_at__isnull=True)
              .order_by("pk").values_list("pk", "display_name"))
activities = list(Activity.objects.filter(initiative=ini, status="published").order_by("pk"))
now = timezone.now().replace(microsecond=0)
count = -(-%(pairs)d // len(people)) + 1
sessions = [Session.objects.create(initiative=ini, activity=activities[n %% len(activities)],
                                   start=now - dt.timedelta(minutes=30 + n),
                                   end=now + dt.timedelta(hours=3)).pk for n in range(count)]
print(json.dumps({"sessions": sessions, "people": [p for p, _ in people],
                  "prefixes": sorted({n[:2] for _, n in people if len(n) >= 2})[:40]}))
"""
KIOSK_COUNT = """
from verbinding.attendance.models import CheckIn
print(CheckIn.objects.filter(session_id__in=%(sessions)r).count())
"""


def prepare_kiosk(env: dict[str, str], args) -> dict:
    """Today's sessions for the kiosk to check people into: enough (session, person) pairs
    that every check-in of the run is a different one and really inserts a row."""
    per_run = sum(c * (args.warmup + args.requests) for c in args.concurrency)
    out = manage(env, "shell", "-c", KIOSK_SETUP % {"slug": SLUG, "pairs": per_run})
    data = json.loads(out.strip().splitlines()[-1])
    data["pairs"] = [(s, p) for s in data["sessions"] for p in data["people"]]
    return data


def _cookies(response) -> dict[str, str]:
    from http.cookies import SimpleCookie

    jar: dict[str, str] = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(header)
        jar.update({k: v.value for k, v in cookie.items()})
    return jar


def kiosk_login(port: int) -> dict[str, str]:
    """Log the kiosk in through the login form, as a tablet does: its cookies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", f"/{SLUG}/login/")
        response = conn.getresponse()
        html = response.read().decode()
        jar = _cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"username": KIOSK_USER, "password": DEMO_PASSWORD,
                                       "csrfmiddlewaretoken": token})
        conn.request("POST", f"/{SLUG}/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
        response = conn.getresponse()
        response.read()
        jar.update(_cookies(response))
        if response.status != 302 or "sessionid" not in jar:
            raise SystemExit(f"the kiosk login {KIOSK_USER} failed ({response.status})")
        return jar
    finally:
        conn.close()


def measure_kiosk(port: int, env: dict[str, str], kiosk: dict, label: str, args) -> list[dict]:
    """The kiosk screen, the name search and the check-in POST (each a new person: a real
    insert), then the same check-ins again (all no-ops), at each concurrency."""
    logins = [kiosk_login(port) for _ in range(max(args.concurrency))]

    def headers_for(number: int) -> dict[str, str]:
        jar = logins[number % len(logins)]
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}

    def htmx_headers_for(number: int) -> dict[str, str]:
        # The tablet's script sends a check-in with htmx and gets the greeting and the head
        # count in the same answer (200); without JavaScript it would be POST + redirect + GET.
        return {**headers_for(number), "HX-Request": "true"}

    sessions = kiosk["sessions"]
    screens = [f"/{SLUG}/kiosk/sessions/{s}/" for s in sessions]
    searches = [f"/{SLUG}/kiosk/sessions/{sessions[0]}/search/?"
                + urllib.parse.urlencode({"q": q}) for q in kiosk["prefixes"]]
    pairs = kiosk["pairs"]
    per_client = args.warmup + args.requests
    for targets in (screens, searches):  # warm every worker, as for the pages
        hammer(port, targets, clients=8, warmup=0, requests=4, max_seconds=30,
               headers_for=headers_for)
    rows = []
    writes = {"sent": 0, "inserted": 0}
    offset = 0
    for clients in args.concurrency:
        base = offset

        def plan(number: int, i: int, base=base) -> tuple:
            session, person = pairs[(base + number * per_client + i) % len(pairs)]
            csrf = logins[number % len(logins)]["csrftoken"]
            body = urllib.parse.urlencode({"person": person, "csrfmiddlewaretoken": csrf})
            return ("POST", f"/{SLUG}/kiosk/sessions/{session}/checkin/", body)

        before = int(manage(env, "shell", "-c", KIOSK_COUNT % {"sessions": sessions}).split()[-1])
        for name, kwargs in (
            ("kiosk screen", {"paths": screens}),
            ("kiosk search", {"paths": searches}),
            ("kiosk check-in", {"paths": screens, "plan": plan, "ok": ("200",),
                                "headers_for": htmx_headers_for}),
            ("kiosk again (no-op)", {"paths": screens, "plan": plan, "ok": ("200",),
                                     "headers_for": htmx_headers_for}),
        ):
            if name == "kiosk again (no-op)":
                after = int(manage(env, "shell", "-c", KIOSK_COUNT % {"sessions": sessions}).split()[-1])
                writes["sent"] += clients * per_client
                writes["inserted"] += after - before
            kwargs.setdefault("headers_for", headers_for)
            stats = hammer(port, clients=clients, warmup=args.warmup, requests=args.requests,
                           max_seconds=args.max_seconds, **kwargs)
            rows.append({"database": label, "endpoint": name, "paths": len(kwargs["paths"]),
                         "clients": clients, **stats})
        offset += clients * per_client
    kiosk["writes"] = writes
    return rows


# --- browser ------------------------------------------------------------------------------


def browser_weights(port: int, paths: dict[str, list[str]], kiosk: dict | None = None) -> list[dict]:
    from playwright.sync_api import sync_playwright

    pages = {"calendar": paths["calendar"][0], "activity page": paths["activity page"][0]}
    if kiosk:
        pages["kiosk screen"] = f"/{SLUG}/kiosk/sessions/{kiosk['sessions'][0]}/"
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for name, path in pages.items():
                for language in ("nl", "ar"):
                    context = browser.new_context(locale=language)  # fresh profile, empty cache
                    context.add_cookies([{"name": "verbinding_language", "value": language,
                                          "url": f"http://127.0.0.1:{port}"}])
                    if name.startswith("kiosk"):
                        # Logged in through the API (shares the cookies, not the HTTP cache),
                        # so the page itself is still a first load with an empty cache.
                        context.add_cookies([{"name": k, "value": v, "url": f"http://127.0.0.1:{port}"}
                                             for k, v in kiosk_login(port).items()])
                    page = context.new_page()
                    seen = []
                    page.on("requestfinished", lambda request, seen=seen: seen.append(request))
                    page.goto(f"http://127.0.0.1:{port}{path}", wait_until="networkidle")
                    transferred = decoded = 0
                    foreign = 0
                    for request in seen:
                        sizes = request.sizes()
                        transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                        response = request.response()
                        if response is not None and not 300 <= response.status < 400:
                            decoded += len(response.body())  # a redirect has no body to read
                        if not request.url.startswith(f"http://127.0.0.1:{port}/"):
                            foreign += 1
                    results.append({"page": name, "language": language, "requests": len(seen),
                                    "transferred_kb": transferred / 1024,
                                    "decoded_kb": decoded / 1024, "foreign": foreign})
                    context.close()
        finally:
            browser.close()
    return results


# --- output -------------------------------------------------------------------------------


def print_tables(results: list[dict], args) -> None:
    print()
    print(f"Latency: {args.requests} requests per client after {args.warmup} warm-up, "
          f"closed loop without think time (gunicorn {args.gunicorn}, DEBUG off, 127.0.0.1, "
          f"{os.cpu_count()} cores). Budget: p95 < {BUDGET_MS:.0f} ms at {BUDGET_CLIENTS} clients.")
    head = (f"{'database':<20} {'endpoint':<19} {'clients':>7} {'n':>6} {'err':>4} {'p50 ms':>8} "
            f"{'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7}  budget")
    print(head)
    print("-" * len(head))
    for result in results:
        for row in result["rows"]:
            floor = "floor" in row["endpoint"]
            judged = not floor and row["clients"] == BUDGET_CLIENTS
            verdict = ("OK" if row["p95"] < BUDGET_MS else "OVER") if judged else "-"
            print(f"{row['database']:<20} {row['endpoint']:<19} {row['clients']:>7} {row['n']:>6} "
                  f"{row['errors']:>4} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f} "
                  f"{row['max']:>8.1f} {row['rps']:>7.0f}  {verdict}")
            if row["error_kinds"]:
                print(f"{'':<40} errors: {row['error_kinds']}")
    weights = [w for r in results for w in r["weights"]]
    if weights:
        print()
        print("First load in Debian Chromium (fresh profile): bytes over the wire")
        head = (f"{'page':<15} {'lang':<5} {'requests':>8} {'transferred KB':>15} "
                f"{'decoded KB':>11} {'3rd-party':>9}  budget")
        print(head)
        print("-" * len(head))
        for w in weights:
            verdict = "OK" if w["transferred_kb"] < BUDGET_KB and not w["foreign"] else "OVER"
            print(f"{w['page']:<15} {w['language']:<5} {w['requests']:>8} "
                  f"{w['transferred_kb']:>15.1f} {w['decoded_kb']:>11.1f} {w['foreign']:>9}  "
                  f"{verdict}")
    for result in results:
        writes = result.get("kiosk_writes")
        if writes and writes["sent"]:
            print(f"{result['label']}: kiosk check-ins sent {writes['sent']}, rows inserted "
                  f"{writes['inserted']}: no-op share {1 - writes['inserted'] / writes['sent']:.1%} "
                  f"(the 'again' rows repeat the same check-ins: all no-ops)")
    print()
    for result in results:
        print(f"{result['label']}: set-up (migrate, seed, collectstatic) {result['setup_s']:.0f} s; "
              f"load average before measuring {result['load_before']:.1f}. {result['seed']}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--concurrency", default="1,20",
                        help="comma-separated numbers of concurrent clients (budget: 20)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per client")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up requests per client")
    parser.add_argument("--max-seconds", type=float, default=60.0,
                        help="stop an endpoint's timed phase after this long")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--pgport", default="54391", help="port of the throwaway PostgreSQL")
    parser.add_argument("--gunicorn", default="-w 4",
                        help="gunicorn's worker options (default: the README's production recipe, "
                             "4 sync workers behind a proxy; e.g. '-w 2 --threads 4')")
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    parser.add_argument("--no-kiosk", dest="kiosk", action="store_false",
                        help="skip the kiosk (screen, name search, check-in POST)")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="switch the public page cache off: every request renders in full")
    parser.add_argument("--inner", help=argparse.SUPPRESS)  # label; run inside pg-throwaway.sh
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    except ValueError:
        parser.error("--concurrency: numbers separated by commas, e.g. 1,20")
    if not args.concurrency or not all(1 <= c <= 200 for c in args.concurrency):
        parser.error("--concurrency: between 1 and 200 clients")
    if not 1 <= args.requests <= 10_000 or not 0 <= args.warmup <= 1000:
        parser.error("--requests 1..10000, --warmup 0..1000")
    return args


def run_databases(args, measure, script: str, forwarded, prefix: str) -> list[dict]:
    """Measure on SQLite (a temporary file) and/or PostgreSQL (a throwaway server started by
    scripts/pg-throwaway.sh, which re-runs `script --inner PostgreSQL` and hands the result
    back as JSON), as `args.db` says. `forwarded(results)` gives the options of that re-run,
    knowing the results so far. Shared by every page benchmark here."""
    results = []
    if args.db in ("sqlite", "both"):
        tmp = Path(tempfile.mkdtemp(prefix=prefix))
        try:
            results.append(measure("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}", args))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.db in ("postgres", "both"):
        out = Path(tempfile.mkstemp(prefix=prefix, suffix=".json")[1])
        env = dict(os.environ, PGPORT=str(args.pgport))
        subprocess.run(["bash", str(ROOT / "scripts" / "pg-throwaway.sh"), PY, script,
                        "--inner", "PostgreSQL", "--json-out", str(out), *forwarded(results)],
                       env=env, cwd=ROOT, check=True)
        results.append(json.loads(out.read_text()))
        out.unlink()
    return results


def main() -> None:
    args = parse_args()
    if args.inner:
        result = measure_database(args.inner, os.environ["DATABASE_URL"], args)
        Path(args.json_out).write_text(json.dumps(result))
        return

    def forwarded(results: list) -> list[str]:
        options = [f"--gunicorn={args.gunicorn}",
                   f"--concurrency={','.join(map(str, args.concurrency))}",
                   f"--requests={args.requests}", f"--warmup={args.warmup}",
                   f"--max-seconds={args.max_seconds}", f"--port={args.port}",
                   *([] if args.cache else ["--no-cache"]),
                   *([] if args.kiosk else ["--no-kiosk"])]
        # The page weight does not depend on the database: measured once, in the first run.
        if not args.browser or results:
            options.append("--no-browser")
        return options

    results = run_databases(args, measure_database, __file__, forwarded, "verbinding-bench-")
    print_tables(results, args)


if __name__ == "__main__":
    main()
