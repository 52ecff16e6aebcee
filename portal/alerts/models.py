"""Subscriptions and the changes they are told about. Thin: the rules are in actions.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.notify.backends import mask_email


class Frequency(models.TextChoices):
    INSTANT = "instant", _("即时提醒")
    DAILY = "daily", _("每日汇总")


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    ACTIVE = "active", _("已订阅")


class Subscription(models.Model):
    """One address following one thing. The address is kept only while the subscription exists:
    an unsubscribe deletes the row, an unconfirmed one is deleted after ALERTS_CONFIRM_DAYS."""

    # Needed to send; shown and logged only masked (`masked_email`).
    email = models.EmailField(_("邮箱"), max_length=254)
    source = models.CharField(_("订阅类型"), max_length=20)
    params = models.JSONField(_("订阅条件"), default=dict)
    # source + params, canonical: one subscription per address and thing followed
    key = models.CharField(max_length=64)
    description = models.CharField(_("订阅内容"), max_length=300)
    frequency = models.CharField(
        _("频率"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
    )
    # changes up to this AlertChange id have been considered (sent or not matching)
    cursor = models.BigIntegerField(default=0)
    # a random value in every link; a new one makes the old links useless
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(_("申请时间"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("最近发送"), null=True, blank=True)

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        constraints = [
            models.UniqueConstraint(fields=["email", "key"], name="alert_subscription_unique")
        ]
        indexes = [models.Index(fields=["status", "frequency", "source"])]

    def __str__(self) -> str:
        return f"{self.masked_email} · {self.description}"

    @property
    def masked_email(self) -> str:
        return mask_email(self.email)


class AlertChange(models.Model):
    """A page published (new or changed): what instant alerts and the daily digest report."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=255)
    url_path = models.CharField(max_length=500)
    first_publish = models.BooleanField(default=True)
    published_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("内容更新")
        verbose_name_plural = _("内容更新")

    def __str__(self) -> str:
        return self.title
