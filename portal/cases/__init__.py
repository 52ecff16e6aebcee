"""The shared case machinery: one mechanism for applications (办件, services), disclosure requests
(依申请公开, disclosure) and complaints (监督投诉, services).

    numbers.py        case numbers with a check character (SQ20261129000123X), the kinds
    codes.py          query codes: shown once, stored hashed
    errors.py         CaseError and its kinds, each with the API status
    models.py         TrackedCase (the abstract case), CaseEvent (timeline + audit), CaseSequence
    actions.py        every write: case_create, case_transition, case_act, case_withdraw
    kinds.py          the registry of concrete kinds and their hooks (WorkbenchKind)
    lookup.py         the anonymous status lookup and the masked public view of a case
    access.py         which cases this browser session has proved it may see
    ratings.py        好差评 through a slot the services app fills
    notifications.py  SMS/e-mail to the applicant after every public change
    selectors.py      the staff workbench's reads; filters.py, forms.py its filters and forms
    admin_views.py    办件工作台 in the Wagtail admin; wagtail_hooks.py its URLs and menu
    views.py, urls.py /cx/ 办件查询 and its follow-ups (补正, 好差评, 撤回)
    api.py            POST /api/v1/cases/lookup, /cases/{number}/rating
    staff_api.py      /api/v1/staff/cases…

Each app registers its kinds (a TrackedCase subclass and a `WorkbenchKind` with its hooks) in its
own `AppConfig.ready()`.
"""
