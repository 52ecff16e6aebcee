from portal.notify.checks import sms_gateway_configured

COMPLETE = {
    "url": "https://sms.example.com/send",
    "key_id": "id",
    "secret": "secret",
    "sign_name": "阳光政务",
    "templates": {"*": "SMS_1000"},
}


def test_the_gateway_must_be_configured_completely_when_chosen(settings):
    settings.NOTIFY_SMS_BACKEND = "portal.notify.gateway.HttpSMSBackend"
    settings.SMS_GATEWAY = {**COMPLETE, "secret": "", "templates": {}}
    [error] = sms_gateway_configured(None)
    assert error.id == "portal.notify.E001"
    assert "SMS_GATEWAY_SECRET, SMS_GATEWAY_TEMPLATES" in error.msg
    settings.SMS_GATEWAY = COMPLETE
    assert sms_gateway_configured(None) == []
    settings.NOTIFY_SMS_BACKEND = "portal.notify.ConsoleSMSBackend"
    settings.SMS_GATEWAY = {}
    assert sms_gateway_configured(None) == []
