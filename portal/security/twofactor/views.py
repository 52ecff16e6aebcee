"""The sign-in pages of the second factor, reachable while the session is not yet verified:
enrolment (QR code and secret, confirmed with a code), verification at each login (an
authenticator code or a recovery code) and new recovery codes (a verified session only)."""

import base64
import io

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from . import actions
from .forms import CodeForm


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _qr_data_uri(url: str) -> str:
    out = io.BytesIO()
    write_qrcode_image(url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _secret(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _throttled(devices) -> bool:
    return any(not d.verify_is_allowed()[0] for d in devices)


@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    # Someone who has only the password must never replace the enrolled authenticator.
    if actions.has_confirmed_totp(user) and not user.is_verified():
        return redirect(reverse("portal_otp_verify") + "?" + request.GET.urlencode())
    device = actions.totp_device_begin(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled([device]):
            form.add_error("code", _("验证失败次数过多，请稍候再试。"))
        elif actions.totp_device_confirm(device=device, token=form.cleaned_data["code"]):
            device.refresh_from_db()
            otp_login(request, device)
            codes = actions.recovery_codes_regenerate(user=user)
            return render(
                request,
                "security/twofactor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "enrolled": True},
            )
        else:
            form.add_error("code", _("验证码不正确，请核对手机上的时间并输入当前显示的6位数字。"))
    return render(
        request,
        "security/twofactor/setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": _secret(device),
            "next": _next_url(request),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if user.is_verified():
        return redirect(_next_url(request))
    if not actions.has_confirmed_totp(user):
        return redirect(reverse("portal_otp_setup") + "?" + request.GET.urlencode())
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        if code.isdigit():
            devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        else:
            code = actions.normalise_code(code)
            devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
        if _throttled(devices):
            form.add_error("code", _("验证失败次数过多，请稍候再试。"))
        else:
            for device in devices:
                verified = verify_token(user, device.persistent_id, code)
                if verified is not None:
                    otp_login(request, verified)
                    return redirect(_next_url(request))
            form.add_error("code", _("验证码不正确或已使用。"))
    return render(
        request,
        "security/twofactor/verify.html",
        {"form": form, "next": _next_url(request)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def otp_recovery_codes(request):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
    if not user.is_verified():
        return redirect(reverse("portal_otp_verify") + "?next=" + request.path)
    if request.method == "POST":
        codes = actions.recovery_codes_regenerate(user=user)
        return render(
            request,
            "security/twofactor/recovery_codes.html",
            {"codes": codes, "next": reverse("wagtailadmin_home"), "enrolled": False},
        )
    return render(
        request,
        "security/twofactor/recovery.html",
        {"left": actions.recovery_codes_left(user)},
    )
