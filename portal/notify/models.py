"""The durable record of every notice: written in the same transaction as the change it reports,
so a notice exists even if the task queue loses its task, and it is retried until it is sent or
has failed for good (portal/notify/actions.py)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.organisations import Organisation
from portal.privacy import mask_phone

from .backends import mask_email


class NoticeChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("邮件")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Notice(models.Model):
    channel = models.CharField(_("渠道"), max_length=10, choices=NoticeChannel.choices)
    # Needed to deliver; shown and logged only masked (`masked_recipient`).
    recipient = models.CharField(_("收件人"), max_length=254)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("机构"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reference = models.CharField(_("办件编号"), max_length=40, blank=True, db_index=True)
    template = models.CharField(_("模板"), max_length=60)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    params = models.JSONField(_("模板参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近一次错误"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notice_due_idx"),
            models.Index(fields=["status", "organisation"], name="notice_org_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.masked_recipient}（{self.reference or '-'}）"

    @property
    def masked_recipient(self) -> str:
        if self.channel == NoticeChannel.SMS:
            return mask_phone(self.recipient)
        return mask_email(self.recipient)
