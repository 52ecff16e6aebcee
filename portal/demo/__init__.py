"""The demo site, apart from product code: `manage.py load_demo_data` builds it (idempotent).

    site.py   organisations, site settings, the home page, demo accounts, calendars
    clock.py  the demo clock: past demo cases are created through the real actions at past dates

Each app adds its part from its own `<app>/demo/` package (`load(home=, organisations=, stdout=)`);
the data lives in fixtures/. Nothing outside the demo packages and the command imports them."""
