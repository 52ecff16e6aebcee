"""The export as a task for the worker (`manage.py export_open_data --queue`)."""

from django.tasks import task


@task
def refresh_open_data(*, base_url: str = "") -> int:
    from .actions import open_data_export

    return open_data_export(base_url=base_url)["count"]
