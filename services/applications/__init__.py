"""在线受理: online applications for a service item — models, actions (check, submit, 补正), the apply
flow (views.py: form → check your answers → confirmation and PDF receipt), the kind's workbench and
/cx/ parts (kind.py) and the API (api.py)."""
