"""好差评: ratings of finished cases of every kind (the case machinery records them through the slots
of portal/cases/ratings.py, filled in services/apps.py), and the 差评 follow-ups in the workbench."""
