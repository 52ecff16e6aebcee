from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Remove a staff account's authenticator and recovery codes (phone and codes lost): the "
        "next login enrols a new authenticator. Check the person's identity first."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    @transaction.atomic
    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为 {username} 的账号。")
        totp, _ = TOTPDevice.objects.filter(user=user).delete()
        static, _ = StaticDevice.objects.filter(user=user).delete()
        self.stdout.write(
            f"{username}: removed {totp} authenticator(s) and the recovery codes; "
            "the next login enrols a new authenticator."
        )
