"""Small worlds for 监督投诉: the case world plus helpers to submit and move complaints."""

from portal.cases.actions import case_transition
from services.complaints.actions import complaint_submit


def complaint_data(**overrides) -> dict:
    data = {
        "subject": "窗口办理低保时态度生硬",
        "content": "9月28日上午在受理中心办理低保时，窗口人员态度生硬，未一次性告知所需材料。",
        "complainant_name": "王小明",
        "complainant_phone": "13912345678",
        "organisation": "",
        "service_item": "",
        "category": "",
        "publish_consent": True,
    }
    data.update(overrides)
    return data


def submit(**overrides):
    complaint, _code = complaint_submit(**complaint_data(**overrides))
    return complaint


def advance(complaint, *steps):
    """Apply (action, note, data) steps as staff; returns the updated complaint."""
    for action, note, data in steps:
        complaint = case_transition(complaint, action=action, note=note, data=data)
    return complaint


def replied(reply="经核查，已对窗口人员进行批评教育。", **overrides):
    complaint = submit(**overrides)
    return advance(
        complaint,
        ("acknowledge", "", {}),
        ("handle", "已调取监控核实情况", {}),
        ("reply", "", {"reply": reply}),
    )
