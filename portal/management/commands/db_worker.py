"""`manage.py db_worker`, the task worker of django-tasks-db, made to outlive its database.

The library's worker exits with a traceback when the database goes away under it (a PostgreSQL
restart or fail-over: "server closed the connection unexpectedly", then "connection already
closed" while it records the failure). This command is the same worker (same options; `portal`
comes before `django_tasks_db` in INSTALLED_APPS, so Django picks this one), started again in the
same process after a database error: the broken connections are dropped and it waits 1, 2, 4 …
(at most 30) seconds before it tries again. A task that was running at that moment is not lost
where it matters: notices are leased rows (portal/notify), retried by the next worker task or by
`send_pending_notices`."""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("portal.tasks")
MAX_DELAY = 30.0
# A worker that ran this long since its last start counts as healthy again: the next wait is 1 s.
HEALTHY_AFTER = 60.0


def drop_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None  # already broken: forget it, connect anew next time


class Command(db_worker.Command):
    help = db_worker.Command.help + " Survives a database restart (portal)."

    def handle(self, *args, **options):
        delay = 1.0
        while True:
            started = time.monotonic()
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > HEALTHY_AFTER:
                    delay = 1.0
                logger.warning(
                    "任务进程与数据库的连接中断，%.0f 秒后重新连接：%s",
                    delay,
                    str(error).strip().splitlines()[0]
                    if str(error).strip()
                    else type(error).__name__,
                )
                drop_connections()
                time.sleep(delay)
                delay = min(delay * 2, MAX_DELAY)
