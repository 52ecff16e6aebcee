"""随机问卷: sampled satisfaction surveys of service users, across every case kind.

The bureau defines a questionnaire in the admin (`models.Questionnaire`, frozen once sent); each
month `actions.survey_month_draw` draws a seeded, reproducible sample of the finished cases of each
organisation (every kind in the case registry), sends each applicant a one-time link through
`portal.notify`, and `views` take one answer per link (no login, the token stored hashed, expiring).
`selectors` aggregate response rates and answers by SQL; free text is published only once a reviewer
approved it. Layers: `sampling` (pure) → `models` → `actions` → `selectors` → `forms` → `views` /
`admin_views` → `urls` → `wagtail_hooks`."""
