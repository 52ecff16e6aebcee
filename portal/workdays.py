# TEMPORARY SHIM (not committed): replaced by the real calendar from the workdays branch.
from datetime import date, timedelta

import chinese_calendar


def add_working_days(start: date, n: int) -> date:
    d = start
    while n > 0:
        d += timedelta(days=1)
        if chinese_calendar.is_workday(d):
            n -= 1
    return d
