import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from portal.organisations import StaffProfile, hash_token
from tests.factories import org_tree

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("create_staff_user", *args, stdout=out)
    return out.getvalue()


def test_creates_a_staff_user_of_an_organisation_with_a_token():
    org_tree()
    out = _call(
        "li.ming", "--organisation", "002479001", "--password", "Sunshine-2026-pass", "--api-token"
    )
    user = get_user_model().objects.get(username="li.ming")
    assert user.is_staff and user.check_password("Sunshine-2026-pass")
    profile = user.staff_profile
    assert profile.organisation.code == "002479001"
    token = out.split("api token: ")[1].strip()
    assert token.startswith("sp_") and profile.api_token_hash == hash_token(token)
    assert token not in str(StaffProfile.objects.values_list("api_token_hash", flat=True))
    assert Client().login(username="li.ming", password="Sunshine-2026-pass")


def test_unknown_organisation_is_refused():
    with pytest.raises(CommandError, match="不存在"):
        _call("x", "--organisation", "NOPE")


def test_weak_password_is_refused_and_nothing_is_created():
    org_tree()
    with pytest.raises(CommandError, match="密码不符合要求"):
        _call("weak", "--organisation", "002479001", "--password", "123")
    assert not get_user_model().objects.filter(username="weak").exists()


def test_without_password_a_random_one_is_printed_and_rerun_keeps_it():
    org_tree()
    out = _call("auto", "--organisation", "002482001")
    password = out.split("password: ")[1].strip()
    assert Client().login(username="auto", password=password)
    _call("auto", "--organisation", "000014349")
    user = get_user_model().objects.get(username="auto")
    assert user.staff_profile.organisation.code == "000014349"
    assert user.check_password(password)


def test_new_token_replaces_the_old_one():
    org_tree()
    first = (
        _call("tok", "--organisation", "002479001", "--api-token").split("api token: ")[1].strip()
    )
    second = (
        _call("tok", "--organisation", "002479001", "--api-token").split("api token: ")[1].strip()
    )
    assert first != second
    assert StaffProfile.objects.get(user__username="tok").api_token_hash == hash_token(second)
