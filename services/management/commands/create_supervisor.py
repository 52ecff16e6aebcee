import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from services.supervision.setup import supervisor_role_assign


class Command(BaseCommand):
    help = (
        "Create (or update) a 监督员 (supervisor) account: admin access and the visit reports "
        "only, outside every organisation. The second factor applies as for all staff."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="full name (姓名)")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password", help="a password; without it a random one is generated and printed"
        )

    def handle(self, *args, username, name, email, password, **options):
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(12)
        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username)
            try:
                if created or not generated:
                    validate_password(password, user)
                    user.set_password(password)
                user.is_staff = True
                if name:
                    user.first_name = name
                if email:
                    user.email = email
                user.save()
                supervisor_role_assign(user=user)
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"{'created' if created else 'updated'} supervisor {username}")
        if generated and created:
            self.stdout.write(f"password: {password}")
