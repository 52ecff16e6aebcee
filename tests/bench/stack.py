"""The production stack for the benchmarks, started here and stopped afterwards: a throwaway
PostgreSQL database, Redis, gunicorn with the production settings, optionally Varnish.

Environment: BENCH_PG (server URL, default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL
(default redis://127.0.0.1:6379/8), BENCH_WORKERS (gunicorn sync workers, default 2)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
WORKERS = os.environ.get("BENCH_WORKERS", "2")
VCL = ROOT / "deploy" / "varnish" / "default.vcl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(*parts) -> None:
    print(*parts, flush=True)  # noqa: T201 - benchmark report


@contextmanager
def throwaway_database(name: str):
    """A fresh PostgreSQL database, dropped afterwards."""
    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG}/{name}"
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def app_env(database_url: str, workdir: Path, settings: str = "portal.settings.production"):
    prefix = f"bench{os.getpid()}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,bench.localhost",
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private_media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONWARNINGS": "ignore",
    }


def manage(env: dict, *args: str, quiet: bool = True) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout if quiet else out.stdout + out.stderr


def forget_cache(env: dict) -> None:
    """Drop the cache keys this run wrote (its own key prefix) from the shared Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{env['CACHE_KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


def wait_for(url: str, *, headers: dict | None = None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - local
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - local
                if response.status < 500:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@contextmanager
def process(args: list[str], *, env: dict, name: str):
    proc = subprocess.Popen(  # noqa: S603 - our own commands
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.returncode not in (0, -15, None) and proc.stderr:
            say(f"[{name}] exited {proc.returncode}: {proc.stderr.read()[-2000:]}")


@contextmanager
def gunicorn(app: str, *, env: dict, workers: str = WORKERS):
    port = free_port()
    args = [
        str(BIN / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        workers,
        "--worker-class",
        "sync",
        "--log-level",
        "warning",
    ]
    with process(args, env=env, name=app):
        yield port


@contextmanager
def varnish(backend_port: int):
    """varnishd in the foreground with the project's VCL (its backend pointed at `backend_port`),
    or None when deploy/varnish/default.vcl does not exist (yet) or varnishd is missing."""
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not VCL.exists() or not Path(varnishd).exists():
        yield None
        return
    workdir = Path(tempfile.mkdtemp(prefix="bench-varnish-"))
    workdir.chmod(0o755)  # run as root, varnishd reads the VCL as its own unprivileged user
    vcl = re.sub(r'(\.port\s*=\s*")\d+(")', rf"\g<1>{backend_port}\g<2>", VCL.read_text())
    vcl = re.sub(r'(\.host\s*=\s*")[^"]+(")', r"\g<1>127.0.0.1\g<2>", vcl)
    vcl = vcl.replace('"Host: mzj.example.gov.cn"', '"Host: 127.0.0.1"')  # the health probe
    (workdir / "default.vcl").write_text(vcl)
    port = free_port()
    args = [
        varnishd,
        "-F",
        "-f",
        str(workdir / "default.vcl"),
        "-a",
        f"127.0.0.1:{port}",
        "-n",
        str(workdir / "n"),
        "-s",
        "malloc,128m",
        "-T",
        f"127.0.0.1:{free_port()}",
    ]
    try:
        with process(args, env=dict(os.environ), name="varnishd"):
            yield port
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
