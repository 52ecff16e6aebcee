"""Load test (`make loadtest`; never part of `make test`): the production stack on this machine,
a rush of citizens and staff, PostgreSQL restarted in the middle, and the proof that nothing
accepted was lost.

The stack, started here and stopped afterwards, all on loopback:
  nginx (TLS, deploy/nginx/sunshine.conf with proxy.conf and media.conf)
  → Varnish (deploy/varnish/default.vcl) → gunicorn (production settings, LOAD_WORKERS sync
  workers) and the task worker (db_worker), a PostgreSQL cluster of the run's own (so restarting
  it touches no other database on the machine), a Redis server of its own; the demo site loaded.
Then locust (tests/load/locustfile.py) with LOAD_USERS users for LOAD_SECONDS, each user from
its own loopback address. At LOAD_RESTART_AT seconds PostgreSQL is restarted (`pg_ctl restart
-m fast`: every connection is cut). A probe asks /healthz (which reads the database) four times
a second straight from gunicorn, to time the outage as the app sees it.

Reported: requests and failures per endpoint, errors by status, p50/p99, the outage, and
tests/load/verify.py's check of every 201 (case, query code, timeline, files byte for byte).
The report is printed and written to .loadtest/report.md. Exit status 1 when something accepted
was lost or the site did not recover.

Knobs: LOAD_USERS (200), LOAD_SECONDS (120), LOAD_RESTART_AT (60), LOAD_SPAWN_RATE (20/s),
LOAD_WORKERS (gunicorn workers, 4 as in docs/operations.md), LOAD_RECOVERY_LIMIT (seconds the
site may take to answer again after PostgreSQL is back, 10)."""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.bench.stack import BIN, PYTHON, ROOT, free_port, process, say, wait_for
from tests.bench.stack import varnish as varnish_stack

USERS = int(os.environ.get("LOAD_USERS", "200"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
RESTART_AT = float(os.environ.get("LOAD_RESTART_AT", "60"))
SPAWN_RATE = os.environ.get("LOAD_SPAWN_RATE", "20")
WORKERS = os.environ.get("LOAD_WORKERS", "4")
RECOVERY_LIMIT = float(os.environ.get("LOAD_RECOVERY_LIMIT", "10"))
PG_BIN = Path(os.environ.get("LOAD_PG_BIN", ""))
REPORT_DIR = ROOT / ".loadtest"
HOST = "mzj.example.gov.cn"


def pg_bin() -> Path:
    if PG_BIN.name:
        return PG_BIN
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        raise SystemExit("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin)")
    return versions[-1].parent


def as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: then run its tools as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def private_postgres(workdir: Path):
    """A PostgreSQL cluster of this run's own on a free port; yields (url, restart)."""
    data, sockets = workdir / "pg", workdir / "pgsock"
    for path in (data, sockets):
        path.mkdir()
        if os.geteuid() == 0:
            shutil.chown(path, "postgres")
    workdir.chmod(0o755)
    port = free_port()
    subprocess.run(  # noqa: S603
        as_postgres([str(pg_bin() / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
        + ["-E", "UTF8", "--locale=C.UTF-8"],
        check=True,
        capture_output=True,
    )
    ctl = as_postgres([str(pg_bin() / "pg_ctl"), "-D", str(data), "-w"])
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(  # noqa: S603
        [*ctl, "-o", options, "-l", str(sockets / "pg.log"), "start"],
        check=True,
        capture_output=True,
    )

    def restart() -> None:
        # -l again: without it the server's output would go to this pipe and run() would wait
        # for the server to end.
        subprocess.run(  # noqa: S603
            [*ctl, "-m", "fast", "-l", str(sockets / "pg.log"), "restart"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    try:
        subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qc"]
            + ["CREATE DATABASE sunshine"],
            check=True,
            capture_output=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/sunshine", restart
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], capture_output=True)  # noqa: S603


@contextmanager
def redis_server(workdir: Path):
    port = free_port()
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    args += ["--appendonly", "no", "--dir", str(workdir)]
    with process(args, env=dict(os.environ), name="redis"):
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout:  # noqa: S603, S607
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"


@contextmanager
def nginx_tls(workdir: Path, varnish_port: int):
    """deploy/nginx/sunshine.conf as shipped, with its ports, certificate and paths moved into
    the run's folder (a self-signed certificate for mzj.example.gov.cn)."""
    conf = workdir / "nginx"
    conf.mkdir()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (conf / sub).mkdir()
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]  # noqa: S607
        + ["-subj", f"/CN={HOST}", "-keyout", str(conf / "tls.key"), "-out", str(conf / "tls.crt")],
        check=True,
        capture_output=True,
    )
    for name in ("proxy.conf", "media.conf"):
        text = (ROOT / "deploy" / "nginx" / name).read_text()
        (conf / name).write_text(text.replace("/srv/sunshine/", f"{workdir}/"))
    site = (ROOT / "deploy" / "nginx" / "sunshine.conf").read_text()
    site = site.split("\nserver {\n    listen 80;")[0]  # the http → https redirect: not needed
    port = free_port()
    site = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;", site)
    site = site.replace("/etc/ssl/mzj.crt", str(conf / "tls.crt"))
    site = site.replace("/etc/ssl/mzj.key", str(conf / "tls.key"))
    site = site.replace("/etc/nginx/sunshine/", f"{conf}/")
    site = site.replace("/srv/sunshine/", f"{workdir}/")
    site = site.replace("http://127.0.0.1:6081", f"http://127.0.0.1:{varnish_port}")
    temp = "\n".join(f"  {sub}_temp_path {conf / sub};" for sub in ("proxy", "fastcgi", "uwsgi"))
    (conf / "nginx.conf").write_text(
        f"""worker_processes 1;
daemon off;
pid {conf}/nginx.pid;
error_log {conf}/error.log warn;
events {{ worker_connections 2048; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {conf}/body;
{temp}
  scgi_temp_path {conf}/scgi;
{site}
}}
"""
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    args = [nginx, "-p", str(conf), "-c", str(conf / "nginx.conf"), "-e", "stderr"]
    with logged(args, env=dict(os.environ), name="nginx"):
        yield port


@contextmanager
def logged(args: list[str], *, env: dict, name: str):
    """A process whose output goes to .loadtest/<name>.log: a pipe nobody reads would fill up
    and block the process on its next log line."""
    with open(REPORT_DIR / f"{name}.log", "w", encoding="utf-8") as log:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def run_env(database_url: str, redis_url: str, workdir: Path, settings: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET,
        "QUERY_CODE_KEYS": QUERY_CODE_KEYS,
        "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
        "PROTECTED_MEDIA_ROOT": str(workdir / "protected_media"),
        "STATIC_ROOT": str(workdir / "staticfiles"),
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore",
    }


SECRET = secrets.token_urlsafe(64)
QUERY_CODE_KEYS = f"load:{secrets.token_urlsafe(32)}"


def manage(env: dict, *args: str) -> str:
    out = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


class Probe(threading.Thread):
    """GET /healthz (a database read) straight from gunicorn, four times a second."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.url = f"http://127.0.0.1:{port}/healthz"
        self.samples: list[tuple[float, bool]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            request = urllib.request.Request(self.url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    ok = response.status == 200
            except OSError:
                ok = False
            self.samples.append((time.monotonic(), ok))
            self.stopped.wait(0.25)

    def outage(self, since: float) -> tuple[float | None, float | None, int]:
        """(first failure after `since`, first success after that failure, failed probes)."""
        after = [(t, ok) for t, ok in self.samples if t >= since]
        failures = [t for t, ok in after if not ok]
        if not failures:
            return None, None, 0
        back = next((t for t, ok in after if ok and t > failures[0]), None)
        return failures[0], back, len(failures)


def locust_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        stats = list(csv.DictReader(f))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        failures = list(csv.DictReader(f))
    return stats, failures


def report(stats, failures, outage: dict, verified: dict, settings: dict) -> str:
    lines = [
        "# Load test",
        "",
        "Settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()),
        "",
        "| endpoint | requests | failures | p50 ms | p99 ms | req/s |",
        "|---|---|---|---|---|---|",
    ]
    for row in stats:
        name = row["Name"] if row["Type"] in ("", "None") else f"{row['Type']} {row['Name']}"
        if row["Name"] == "Aggregated":
            name = "**all**"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['50%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )
    by_status: dict[str, int] = {}
    for row in failures:
        match = re.search(r"\b(\d{3})\b", row["Error"])
        key = match.group(1) if match else row["Error"][:60]
        by_status[key] = by_status.get(key, 0) + int(row["Occurrences"])
    lines += ["", "Errors by status (every failed attempt, retries included):"]
    lines += [f"- {k}: {v}" for k, v in sorted(by_status.items())] or ["- none"]
    lines += ["", "PostgreSQL restart (pg_ctl restart -m fast):"]
    lines += [f"- {k}: {v}" for k, v in outage.items()]
    lines += ["", "Nothing accepted lost (tests/load/verify.py):"]
    lines += [f"- {k}: {v}" for k, v in verified.items() if k != "problems"]
    lines += [f"- problem: {p}" for p in verified.get("problems", [])] or ["- problems: none"]
    return "\n".join(lines) + "\n"


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="sunshine-load-"))
    REPORT_DIR.mkdir(exist_ok=True)
    accepted = workdir / "accepted.jsonl"
    try:
        with (
            private_postgres(workdir) as (database_url, restart_postgres),
            redis_server(workdir) as redis_url,
        ):
            prod = run_env(database_url, redis_url, workdir, "portal.settings.production")
            say("== migrate and load the demo site")
            manage(prod, "migrate", "--noinput")
            manage(prod, "collectstatic", "--noinput")
            # The demo loader runs with the dev settings (demo accounts are never created
            # with the production ones); the app then runs with the production settings.
            manage(
                run_env(database_url, redis_url, workdir, "portal.settings.dev"),
                "load_demo_data",
            )
            out = manage(
                prod, "create_staff_user", "load_handler", "--organisation", root_org(prod),
                "--role", "handler", "--api-token",
            )  # fmt: skip
            token = re.search(r"api token: (\S+)", out).group(1)
            return run_load(prod, workdir, accepted, token, restart_postgres)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def root_org(env: dict) -> str:
    code = (
        "from portal.models import Organisation;"
        "print(Organisation.objects.filter(parent__isnull=True).values_list('code', flat=True)[0])"
    )
    return manage(env, "shell", "--no-imports", "-c", code).strip().splitlines()[-1]


def run_load(env: dict, workdir: Path, accepted: Path, token: str, restart_postgres) -> int:
    gunicorn_args = [str(BIN / "gunicorn"), "portal.wsgi", "--workers", WORKERS]
    app_port = free_port()
    gunicorn_args += ["--bind", f"127.0.0.1:{app_port}", "--log-level", "warning"]
    with (
        logged(gunicorn_args, env=env, name="gunicorn"),
        logged([PYTHON, "manage.py", "db_worker"], env=env, name="db_worker"),
    ):
        wait_for(f"http://127.0.0.1:{app_port}/healthz", headers={"X-Forwarded-Proto": "https"})
        with varnish_stack(app_port) as varnish_port:
            if varnish_port is None:
                raise SystemExit("varnishd is missing (apt-get install varnish)")
            with nginx_tls(workdir, varnish_port) as https_port:
                time.sleep(1)
                probe = Probe(app_port)
                probe.start()
                restart: dict = {}

                def restart_later() -> None:
                    time.sleep(RESTART_AT)
                    restart["issued"] = time.monotonic()
                    restart_postgres()
                    restart["done"] = time.monotonic()

                restarter = threading.Thread(target=restart_later, daemon=True)
                prefix = workdir / "locust"
                say(
                    f"== locust: {USERS} users for {SECONDS} s, PostgreSQL restart at {RESTART_AT:.0f} s"
                )
                restarter.start()
                started = time.monotonic()
                subprocess.run(  # noqa: S603
                    [str(BIN / "locust"), "-f", str(ROOT / "tests" / "load" / "locustfile.py")]
                    + ["--headless", "-u", str(USERS), "-r", SPAWN_RATE, "-t", f"{SECONDS}s"]
                    + ["--host", f"https://127.0.0.1:{https_port}", "--csv", str(prefix)]
                    + ["--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING"],
                    cwd=ROOT,
                    env={
                        **os.environ,
                        "PYTHONPATH": str(ROOT),
                        "LOADTEST_ACCEPTED": str(accepted),
                        "LOADTEST_STAFF_TOKEN": token,
                    },
                    check=False,
                )
                elapsed = time.monotonic() - started
                restarter.join(timeout=60)
                probe.stopped.set()
                probe.join()
    accepted.touch()
    verify = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "tests.load.verify", str(accepted)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if verify.returncode not in (0, 1):
        raise SystemExit(f"verify failed:\n{verify.stderr[-3000:]}")
    verified = json.loads(verify.stdout.strip().splitlines()[-1])
    outage = outage_summary(probe, restart)
    stats, failures = locust_stats(prefix)
    text = report(
        stats,
        failures,
        outage,
        verified,
        {"users": USERS, "seconds": f"{elapsed:.0f}", "gunicorn workers": WORKERS,
         "cores": os.cpu_count()},
    )  # fmt: skip
    (REPORT_DIR / "report.md").write_text(text, encoding="utf-8")
    say(text)
    recovered = outage.get("site answering again after PostgreSQL was back (s)")
    if verified["problems"] or recovered is None or recovered > RECOVERY_LIMIT:
        say("FAILED: something accepted was lost, or the site did not recover in time")
        return 1
    return 0


def outage_summary(probe: Probe, restart: dict) -> dict:
    if "done" not in restart:
        return {"restart": "did not happen (the run ended first)"}
    first_fail, back, failed = probe.outage(restart["issued"] - 0.5)
    summary = {"pg_ctl restart took (s)": round(restart["done"] - restart["issued"], 2)}
    if first_fail is None:
        summary["health probe failures"] = 0
        summary["site answering again after PostgreSQL was back (s)"] = 0.0
        return summary
    summary["health probe failures"] = failed
    summary["app outage as the probe saw it (s)"] = round(
        (back or time.monotonic()) - first_fail, 2
    )
    summary["site answering again after PostgreSQL was back (s)"] = (
        round(max(0.0, back - restart["done"]), 2) if back else None
    )
    return summary


if __name__ == "__main__":
    sys.exit(main())
