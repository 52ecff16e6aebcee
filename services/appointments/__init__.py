"""预约办理: booking a visit to a service centre or the marriage registry.

models.py (bookable services, opening periods, closures, slots, appointments), actions.py (every
write: slot generation, booking, moving, cancelling, staff check-in / no-show / closing / turning
a booking into a case), selectors.py (slots and bookings for pages and the API), api.py, views.py
and forms.py (the citizen pages), admin_views.py (the staff day list), setup_admin.py (预约设置:
bookable services and their opening periods), demo.py (demo data)."""
