#!/usr/bin/env python
"""Dashboard budget: the coordinator's insights dashboard answers in p95 < 300 ms from snapshots.

    .venv/bin/python benchmarks/dashboards.py                # SQLite and PostgreSQL
    .venv/bin/python benchmarks/dashboards.py --db sqlite    # one database only
    .venv/bin/python benchmarks/dashboards.py --concurrency 1,5,20

Budget (issue 5): dashboard pages < 300 ms from snapshots. Judged at 5 concurrent clients (an
initiative has a handful of coordinators; 20 is shown as a stress row).

How: as benchmarks/pages.py (whose helpers this reuses) — a fresh database, migrated, seeded
with the demo data (`seed_demo --seed 1`), then `recompute_insights` stores the snapshots, as the
nightly job does; gunicorn serves the app with production settings (DEBUG off, 4 sync workers).
Coordinators log in through the login form (two-factor switched off for the benchmark user with
VERBINDING_REQUIRE_STAFF_2FA=0: the second factor is checked once per login, not per page), and
each client keeps its own session. Measured side by side in the same run, with the same logged-in
clients: the public calendar (a logged-in member is never served from the page cache, so it
renders in full) as the baseline, and /healthz as the floor. The dashboard rows are the default
page (latest quarter), a year, and every stored month in rotation (different snapshots, so no
single cached payload). The rendered figures of a snapshot are cached per language until it is
recomputed (insights/views.py); --no-cache switches every cache off, to show the full render.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # the shared benchmark helpers, next to this file

ROOT = pages.ROOT
SLUG = "trefpunt"
COORDINATOR = f"{SLUG}-coordinator"  # made by seed_demo, with the demo password
PARTNER = "demo-partner"  # seed_demo's partner login, shared by both demo places
BUDGET_MS = 300.0
BUDGET_CLIENTS = 5


def login(port: int, username: str) -> dict[str, str]:
    """Log in through the form, as a browser does: the session's cookies."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", f"/{SLUG}/login/")
        response = conn.getresponse()
        html = response.read().decode()
        jar = pages._cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"username": username, "password": pages.DEMO_PASSWORD,
                                       "csrfmiddlewaretoken": token})
        conn.request("POST", f"/{SLUG}/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
        response = conn.getresponse()
        response.read()
        jar.update(pages._cookies(response))
        if response.status != 302 or "sessionid" not in jar:
            raise SystemExit(f"the login of {username} failed ({response.status})")
        return jar
    finally:
        conn.close()


def fetch(port: int, path: str, jar: dict[str, str]) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
                                           "Accept-Language": "nl"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def measure_database(label: str, database_url: str, args) -> dict:
    env = pages.app_env(database_url, cache=args.cache)
    if not args.cache:
        label += ", no cache"
    env["VERBINDING_REQUIRE_STAFF_2FA"] = "0"
    if database_url.startswith("postgres"):
        pages.ensure_postgres_database(database_url)
    t0 = time.monotonic()
    pages.manage(env, "migrate", "--noinput", "-v0")
    pages.manage(env, "seed_demo", "--seed", "1", "--if-empty")
    recompute = pages.manage(env, "recompute_insights")
    pages.manage(env, "collectstatic", "--noinput", "-v0")
    setup_s = time.monotonic() - t0
    port = args.port or pages.free_port()
    proc = pages.start_gunicorn(env, port, args.gunicorn)
    try:
        logins = [login(port, COORDINATOR) for _ in range(max(args.concurrency))]
        partners = [login(port, PARTNER) for _ in range(max(args.concurrency))]
        base = f"/{SLUG}/manage/insights/"
        status, html = fetch(port, f"{base}?kind=month", logins[0])
        if status != 200:
            raise SystemExit(f"the dashboard answered {status}")
        months = sorted(set(re.findall(r'<option value="(\d{4}-\d{2}-\d{2})"', html)))
        if not months:
            raise SystemExit("no month snapshots: did recompute_insights run?")
        sizes = {"dashboard (quarter)": len(fetch(port, base, logins[0])[1].encode())}
        paths = {
            "healthz (floor)": ["/healthz"],
            "calendar (baseline)": [f"/{SLUG}/"],
            "dashboard (quarter)": [base],
            "dashboard (year)": [f"{base}?kind=year"],
            "dashboard (months)": [f"{base}?kind=month&start={m}" for m in months],
            # The partner view: both demo places side by side, outside disclosure rules.
            "partner view (quarter)": [f"/{SLUG}/partner/"],
        }
        status, _html = fetch(port, f"/{SLUG}/partner/", partners[0])
        if status != 200:
            raise SystemExit(f"the partner view answered {status}")

        def headers(jars):
            def headers_for(number: int) -> dict[str, str]:
                jar = jars[number % len(jars)]
                return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
            return headers_for

        def jars_of(name: str):
            return partners if name.startswith("partner") else logins

        for name, targets in paths.items():  # warm every worker
            pages.hammer(port, targets, clients=8, warmup=0, requests=4, max_seconds=30,
                         headers_for=headers(jars_of(name)))
        rows = []
        load = os.getloadavg()[0]
        for clients in args.concurrency:
            for name, targets in paths.items():
                stats = pages.hammer(port, targets, clients=clients, warmup=args.warmup,
                                     requests=args.requests, max_seconds=args.max_seconds,
                                     headers_for=headers(jars_of(name)))
                rows.append({"database": label, "endpoint": name, "paths": len(targets),
                             "clients": clients, **stats})
    finally:
        pages.stop(proc)
    line = next((x for x in recompute.splitlines() if x.endswith("s.")), "")
    return {"label": label, "setup_s": setup_s, "rows": rows, "load_before": load,
            "recompute": line, "months": len(months), "sizes": sizes}


def print_tables(results: list[dict], args) -> None:
    print()
    print(f"Latency, logged-in coordinator: {args.requests} requests per client after "
          f"{args.warmup} warm-up, closed loop (gunicorn {args.gunicorn}, DEBUG off, 127.0.0.1, "
          f"{os.cpu_count()} cores). Budget: dashboard p95 < {BUDGET_MS:.0f} ms at "
          f"{BUDGET_CLIENTS} clients.")
    head = (f"{'database':<21} {'endpoint':<21} {'clients':>7} {'n':>6} {'err':>4} {'p50 ms':>8} "
            f"{'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7}  budget")
    print(head)
    print("-" * len(head))
    for result in results:
        for row in result["rows"]:
            judged = (row["endpoint"].startswith(("dashboard", "partner"))
                      and row["clients"] == BUDGET_CLIENTS)
            verdict = ("OK" if row["p95"] < BUDGET_MS else "OVER") if judged else "-"
            print(f"{row['database']:<21} {row['endpoint']:<21} {row['clients']:>7} {row['n']:>6} "
                  f"{row['errors']:>4} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f} "
                  f"{row['max']:>8.1f} {row['rps']:>7.0f}  {verdict}")
            if row["error_kinds"]:
                print(f"{'':<40} errors: {row['error_kinds']}")
    print()
    for result in results:
        print(f"{result['label']}: set-up {result['setup_s']:.0f} s; {result['recompute']} "
              f"{result['months']} month snapshots; dashboard HTML "
              f"{result['sizes']['dashboard (quarter)'] / 1024:.0f} KB; load average before "
              f"measuring {result['load_before']:.1f}.")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--concurrency", default="1,5,20")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per client")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up requests per client")
    parser.add_argument("--max-seconds", type=float, default=45.0)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--pgport", default="54392")
    parser.add_argument("--gunicorn", default="-w 4")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="no cache at all: every dashboard request builds its figures and "
                             "renders them in full (the first view of a period after a recompute)")
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    except ValueError:
        parser.error("--concurrency: numbers separated by commas, e.g. 1,5,20")
    if not args.concurrency or not all(1 <= c <= 100 for c in args.concurrency):
        parser.error("--concurrency: between 1 and 100 clients")
    if not 1 <= args.requests <= 10_000 or not 0 <= args.warmup <= 1000:
        parser.error("--requests 1..10000, --warmup 0..1000")
    return args


def main() -> None:
    args = parse_args()
    if args.inner:
        result = measure_database(args.inner, os.environ["DATABASE_URL"], args)
        Path(args.json_out).write_text(json.dumps(result))
        return
    forwarded = [f"--gunicorn={args.gunicorn}",
                 f"--concurrency={','.join(map(str, args.concurrency))}",
                 f"--requests={args.requests}", f"--warmup={args.warmup}",
                 f"--max-seconds={args.max_seconds}", f"--port={args.port}",
                 *([] if args.cache else ["--no-cache"])]
    results = pages.run_databases(args, measure_database, __file__, lambda _done: forwarded,
                                  "verbinding-dash-")
    print_tables(results, args)


if __name__ == "__main__":
    main()
