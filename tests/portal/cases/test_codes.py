"""Query codes are stored as HMAC-SHA256 with a rotatable server key; hashes of the password-hasher
era still verify and are upgraded by the next successful lookup."""

import pytest
from django.contrib.auth.hashers import make_password

from portal.cases.codes import (
    check_query_code,
    generate_query_code,
    hash_query_code,
    needs_rehash,
)
from portal.cases.errors import CaseNotFound
from portal.cases.lookup import case_lookup
from services.applications.actions import application_submit
from services.models import Application
from tests.services.case_fixtures import case_world, valid_submission


def test_hash_names_the_newest_key_and_verifies(settings):
    settings.QUERY_CODE_KEYS = ["k2:new-secret", "k1:old-secret"]
    code = generate_query_code()
    hashed = hash_query_code(code)
    assert hashed.startswith("hmac-sha256$k2$") and code.replace("-", "") not in hashed
    assert check_query_code(code, hashed)
    assert check_query_code(code.lower().replace("-", " "), hashed)  # normalised like the form
    assert not check_query_code(generate_query_code(), hashed)
    assert not needs_rehash(hashed)


def test_rotation_old_keys_verify_retired_keys_do_not(settings):
    code = generate_query_code()
    settings.QUERY_CODE_KEYS = ["k1:old-secret"]
    old = hash_query_code(code)
    settings.QUERY_CODE_KEYS = ["k2:new-secret", "k1:old-secret"]
    assert check_query_code(code, old) and needs_rehash(old)
    settings.QUERY_CODE_KEYS = ["k2:new-secret"]
    assert not check_query_code(code, old)


def test_the_key_matters(settings):
    code = generate_query_code()
    settings.QUERY_CODE_KEYS = ["k1:one"]
    hashed = hash_query_code(code)
    settings.QUERY_CODE_KEYS = ["k1:another"]
    assert not check_query_code(code, hashed)


def test_malformed_key_setting_is_refused(settings):
    settings.QUERY_CODE_KEYS = ["no-separator"]
    with pytest.raises(ValueError, match="id:secret"):
        hash_query_code("ABCDE-FGHJK")


def test_without_configured_keys_a_key_derived_from_secret_key_is_used(settings):
    settings.QUERY_CODE_KEYS = []
    code = generate_query_code()
    hashed = hash_query_code(code)
    assert hashed.startswith("hmac-sha256$sk$")
    settings.QUERY_CODE_KEYS = ["k1:first-real-key"]  # configured later: still verifies
    assert check_query_code(code, hashed) and needs_rehash(hashed)


def test_unknown_case_compares_a_dummy():
    assert check_query_code("ABCDE-FGHJK", None) is False


@pytest.mark.django_db
def test_legacy_hash_verifies_and_is_upgraded_on_the_next_success(settings):
    settings.QUERY_CODE_KEYS = ["k3:current"]
    world = case_world()
    application, code = application_submit(**valid_submission(world["guide"]))
    legacy = make_password(code.replace("-", ""))  # how codes were stored before
    Application.objects.filter(pk=application.pk).update(query_code_hash=legacy)
    found = case_lookup(case_number=application.case_number, query_code=code, client="1.1.1.1")
    assert found.pk == application.pk
    stored = Application.objects.get(pk=application.pk).query_code_hash
    assert stored.startswith("hmac-sha256$k3$") and check_query_code(code, stored)
    # A failed lookup upgrades nothing.
    Application.objects.filter(pk=application.pk).update(query_code_hash=legacy)
    with pytest.raises(CaseNotFound):
        case_lookup(case_number=application.case_number, query_code="AAAAA-AAAAA", client="1.1")
    assert Application.objects.get(pk=application.pk).query_code_hash == legacy
