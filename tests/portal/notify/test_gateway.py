"""The HTTP SMS adapter against a real local gateway that verifies every signature."""

from datetime import date

import pytest

from portal import notify
from portal.notify import Notice, NoticeStatus
from portal.notify.gateway import HttpSMSBackend, sign

from .fake_sms_gateway import FakeGateway
from .test_retries import closed_port

pytestmark = pytest.mark.django_db

CONTEXT = {
    "case_number": "SQ20261129000123X",
    "status_label": "已受理",
    "due_date": date(2026, 11, 3),
    "note": "材料齐全",
    "service_name": "最低生活保障申请",
    "phone": "021-12345678",
}


@pytest.fixture
def gateway(settings):
    fake = FakeGateway()
    url = fake.start()
    settings.NOTIFY_SMS_BACKEND = "portal.notify.gateway.HttpSMSBackend"
    settings.SMS_GATEWAY = {
        "url": url,
        "key_id": fake.key_id,
        "secret": fake.secret,
        "sign_name": "阳光政务",
        "templates": {"case_accepted": "SMS_1001", "*": "SMS_1000"},
        "timeout": 1.0,
        "retryable_codes": ["THROTTLED"],
    }
    yield fake
    fake.stop()


def sms_notice(template="case_accepted") -> Notice:
    [notice] = notify.notify(phone="13812345678", email=None, template=template, context=CONTEXT)
    return notice


def attempt(notice: Notice) -> Notice:
    Notice.objects.filter(pk=notice.pk).update(next_attempt_at=None)  # due now
    notify.notice_deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    return notice


def test_the_gateway_receives_a_correctly_signed_request(
    gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = notify.notify(
            phone="138 1234 5678", email=None, template="case_accepted", context=CONTEXT
        )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SENT and notice.attempts == 1
    [request] = gateway.received
    assert request.verified
    assert request.headers["X-Sms-Key-Id"] == "test-key-id"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.payload == {
        "phone": "13812345678",
        "sign_name": "阳光政务",
        "template_code": "SMS_1001",
        "template_params": {
            "case_number": "SQ20261129000123X",
            "status_label": "已受理",
            "due_date": "2026年11月3日",
            "note": "材料齐全",
            "service_name": "最低生活保障申请",
            "phone": "021-12345678",
        },
        "content": notice.body,
    }
    # The signature is the documented one over exactly the bytes that were sent.
    assert request.headers["X-Sms-Signature"] == sign(
        secret=gateway.secret,
        timestamp=request.headers["X-Sms-Timestamp"],
        nonce=request.headers["X-Sms-Nonce"],
        body=request.body,
    )


def test_a_template_without_its_own_id_uses_the_default(gateway):
    notice = attempt(sms_notice("case_completed"))
    assert notice.status == NoticeStatus.SENT
    assert gateway.received[0].payload["template_code"] == "SMS_1000"


def test_a_wrong_secret_is_refused_for_good(gateway, settings):
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "secret": "not-the-secret"}
    notice = attempt(sms_notice())
    assert [r.verified for r in gateway.received] == [False]
    assert notice.status == NoticeStatus.FAILED
    assert notice.last_error == "短信网关拒绝请求（HTTP 401 SIGNATURE_MISMATCH）"


def test_a_gateway_outage_is_retried_with_a_new_nonce_and_then_sent(gateway):
    gateway.fail_next(503)
    notice = attempt(sms_notice())
    assert (notice.status, notice.attempts) == (NoticeStatus.PENDING, 1)
    assert notice.last_error == "短信网关暂时不可用（HTTP 503）"
    notice = attempt(notice)
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 2)
    first, second = gateway.received
    assert first.verified and second.verified
    assert first.headers["X-Sms-Nonce"] != second.headers["X-Sms-Nonce"]


def test_a_timeout_is_retryable(gateway, settings):
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "timeout": 0.2}
    gateway.fail_next("slow")
    notice = attempt(sms_notice())
    assert (notice.status, notice.last_error) == (NoticeStatus.PENDING, "短信网关响应超时")


def test_a_throttled_answer_is_retryable(gateway):
    gateway.fail_next("THROTTLED")
    notice = attempt(sms_notice())
    assert notice.status == NoticeStatus.PENDING
    assert notice.last_error.startswith("短信网关返回错误 THROTTLED：")


def test_a_refused_number_fails_for_good_and_the_error_does_not_name_it(gateway):
    gateway.fail_next("INVALID_PHONE")
    notice = attempt(sms_notice())
    assert notice.status == NoticeStatus.FAILED
    assert notice.last_error == "短信网关返回错误 INVALID_PHONE：号码138****5678无法接收短信"


def test_an_unreachable_gateway_is_retryable(settings):
    settings.NOTIFY_SMS_BACKEND = "portal.notify.gateway.HttpSMSBackend"
    settings.SMS_GATEWAY = {
        "url": f"http://127.0.0.1:{closed_port()}/sms/send",
        "key_id": "k",
        "secret": "s",
        "templates": {"*": "SMS_1000"},
    }
    notice = attempt(sms_notice())
    assert notice.status == NoticeStatus.PENDING
    assert notice.last_error == "无法连接短信网关（ConnectionError）"


def test_missing_configuration_is_a_permanent_failure(settings, gateway):
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "templates": {"case_accepted": "SMS_1001"}}
    notice = attempt(sms_notice("case_completed"))
    assert (notice.status, notice.last_error) == (
        NoticeStatus.FAILED,
        "未配置短信模板：case_completed",
    )
    settings.SMS_GATEWAY = {}
    with pytest.raises(notify.DeliveryError) as error:
        HttpSMSBackend().send(phone="13812345678", message="正文", template="case_accepted")
    assert not error.value.retryable
    assert gateway.received == []
