"""依申请公开 (条例 2019, Art. 27–45): disclosure requests on the shared case machinery — models (the
request, its statuses, reply types and reasons, deadlines), actions (submit, reply with files,
the applicant's 补正), the online form and the applicant's reply page (forms.py, views.py,
selectors.py), the kind's workbench and /cx/ parts (kind.py) and the API (api.py)."""
