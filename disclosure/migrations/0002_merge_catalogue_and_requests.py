from django.db import migrations


class Migration(migrations.Migration):
    """The catalogue and 依申请公开 were built in parallel, each with its own initial migration."""

    dependencies = [
        ("disclosure", "0001_disclosure_catalogue"),
        ("disclosure", "0001_information_requests"),
    ]

    operations = []
