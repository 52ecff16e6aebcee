"""The existing 办件人员 group keeps the case workbench: it gets the new case permissions
(`handle_case`, `view_personal_data`) that the workbench, the case pages, the case files and the
staff API now require (portal/cases/permissions.py). Editors and reviewers get none."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HANDLER_GROUP = "办件人员"
HANDLER_PERMISSIONS = ("handle_case", "view_personal_data")


def grant(apps, schema_editor):
    config = apps.get_app_config("portal")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True  # let create_permissions see historical models
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=HANDLER_GROUP).first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="portal", codename__in=HANDLER_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0007_case_access_log_and_case_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
