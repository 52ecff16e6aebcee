import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def _run_check(extra_env: dict, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DATABASE_URL": "sqlite:///:memory:",
        }
    )
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_chinese_is_the_default_language_with_english_second():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"


def test_base_settings_carry_no_secret_key():
    from portal.settings import base

    assert base.SECRET_KEY is None or os.environ.get("SECRET_KEY") == base.SECRET_KEY


def test_database_url_picks_the_database():
    import dj_database_url

    parsed = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/sunshine")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert settings.DATABASES["default"]["ENGINE"] in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }


def test_production_refuses_to_start_without_a_real_secret_key():
    result = _run_check({"ALLOWED_HOSTS": "mzj.example.gov.cn"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    weak = _run_check(
        {
            "ALLOWED_HOSTS": "mzj.example.gov.cn",
            "SECRET_KEY": "dev-only-insecure-key-never-use-in-production",
        }
    )
    assert weak.returncode != 0


def test_production_deploy_check_is_clean():
    result = _run_check(
        {
            "ALLOWED_HOSTS": "mzj.example.gov.cn",
            "SECRET_KEY": "x" * 20 + "-production-secret-for-tests-0123456789abcdef",
            "QUERY_CODE_KEYS": "k1:" + "q" * 64,
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_deploy_check_asks_for_query_code_keys():
    result = _run_check(
        {
            "ALLOWED_HOSTS": "mzj.example.gov.cn",
            "SECRET_KEY": "x" * 20 + "-production-secret-for-tests-0123456789abcdef",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0 and "portal.W021" in result.stdout + result.stderr


def test_production_uses_redis_when_redis_url_is_set():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        ALLOWED_HOSTS="mzj.example.gov.cn",
        SECRET_KEY="y" * 64,
        REDIS_URL="redis://127.0.0.1:6379/3",
        DATABASE_URL="sqlite:///:memory:",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    # Django's Redis backend, with one client per pool (portal/cache.py).
    assert out.stdout.strip() == "portal.cache.RedisCache", out.stderr


@pytest.mark.parametrize("name", ["dev", "test", "production"])
def test_every_settings_module_imports(name):
    env = dict(
        os.environ,
        ALLOWED_HOSTS="mzj.example.gov.cn",
        SECRET_KEY="z" * 64,
        DATABASE_URL="sqlite:///:memory:",
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import portal.settings.{name} as s; print(s.LANGUAGE_CODE)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "zh-hans", out.stderr
