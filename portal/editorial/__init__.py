"""Who edits, reviews and publishes what.

sections.py     each publishing organisation's sections, groups, collection and workflow
                (models), and the rule that a page's organisation belongs to its section
setup.py        writes that build all this for an organisation (idempotent), and staff roles
ownership.py    the organisation that owns a user or a page
permissions.py  permission policies for organisation-owned snippets
workflow.py     初审 → 终审 with separation of duties; workflow_finish.py the last step
prepublish.py   the checks every publishing path runs
audit.py        the audit log by organisation; audit_views.py its admin report
forms.py        the admin page form for organisation-owned pages
middleware.py   refused publishes and approvals explained to the editor
wagtail_hooks.py  the admin hooks of all the above
"""
