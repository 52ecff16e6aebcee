"""监督投诉: complaints about a service item, an organisation or staff conduct, on the shared case
machinery — models, actions (submission), forms and views (/hdjl/ts/, /hdjl/dfgk/), selectors
(published replies, counts), the kind's workbench part (kind.py), the staff report (admin.py) and
the API (api.py)."""
