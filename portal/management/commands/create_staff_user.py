import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.organisations import Organisation, StaffProfile


class Command(BaseCommand):
    help = "Create (or update) a staff user of one organisation; optionally issue an API token."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="the organisation's code")
        parser.add_argument(
            "--password", help="a password; without it a random one is generated and printed"
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="full name (姓名)")
        parser.add_argument(
            "--superuser", action="store_true", help="make the user a Wagtail superuser"
        )
        parser.add_argument(
            "--api-token", action="store_true", help="issue a new API token and print it once"
        )
        parser.add_argument(
            "--role",
            choices=["editor", "reviewer", "senior", "handler", "lead"],
            help="editor (编辑), reviewer (初审), senior (终审) of the organisation's sections, "
            "handler (办件人员: the case workbench and the staff API) or lead (办件负责人: a "
            "handler who also reviews the access log of the organisation's cases); sets up the "
            "organisation's groups and sections if needed. Only handlers' and leads' API tokens "
            "work",
        )

    def handle(
        self,
        *args,
        username,
        organisation,
        password,
        email,
        name,
        superuser,
        api_token,
        role=None,
        **options,
    ):
        try:
            org = Organisation.objects.get(code=organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"机构代码 {organisation} 不存在。") from None
        User = get_user_model()
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("密码不符合要求：" + " ".join(exc.messages)) from None
            if created or not generated:
                user.set_password(password)
            user.is_staff = True
            user.is_superuser = user.is_superuser or superuser
            if email:
                user.email = email
            if name:
                user.first_name = name
            user.save()
            profile, _ = StaffProfile.objects.update_or_create(
                user=user, defaults={"organisation": org}
            )
            from django.contrib.auth.models import Permission

            user.user_permissions.add(
                Permission.objects.get(
                    codename="access_admin", content_type__app_label="wagtailadmin"
                )
            )
            group = None
            if role:
                from portal.editorial.setup import staff_role_assign

                try:
                    group = staff_role_assign(user=user, role=role)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
            token = profile.issue_api_token() if api_token else None
        self.stdout.write(
            f"{'Created' if created else 'Updated'} staff user {username} of {org.code} {org.name}"
        )
        if group is not None:
            self.stdout.write(f"role: {role} (group {group.name})")
        if generated and created:
            self.stdout.write(f"password: {password}")
        if token:
            self.stdout.write(f"api token: {token}")
