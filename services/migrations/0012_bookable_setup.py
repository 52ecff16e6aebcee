"""预约设置: opening periods edited inline (a ParentalKey), the period rule's Chinese message, and
the existing 办件负责人 group gets the 预约设置 permissions (new set-ups get them from
portal/editorial/setup.py `case_group`)."""

import django.db.models.deletion
import modelcluster.fields
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

LEAD_GROUP = "办件负责人"
CODENAMES = ("add_bookableservice", "change_bookableservice", "view_bookableservice")


def grant(apps, schema_editor):
    config = apps.get_app_config("services")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True  # let create_permissions see historical models
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=LEAD_GROUP).first()
    if group is None:
        return
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="services", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0011_league_weights"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="openingperiod",
            name="bookable",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="periods",
                to="services.bookableservice",
            ),
        ),
        migrations.AlterConstraint(
            model_name="openingperiod",
            name="period_order",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gt", models.F("start"))),
                name="period_order",
                violation_error_message="结束时间须晚于开始时间。",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
