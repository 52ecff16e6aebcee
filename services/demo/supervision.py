"""Demo 明察暗访 for /hdjl/mcaf/ and the admin: two supervisors (demo accounts, only where settings
allow them: never in production, and `check --deploy` refuses them) and a year of plausible
unannounced visits, ending yesterday, to every live centre that has an organisation — about one
visit in three finds something, which the centre's organisation mostly rectifies within its 10
working days, a few late, the most recent still open; a few reports carry a photo, and some of
the rectified ones have a public summary approved by the demo administrator.

Everything goes through the real actions at its past moment (portal/demo/clock.py), so numbers,
deadlines, timelines and notices are the real ones. Seeded, so every load makes the same history.
Idempotent: nothing is created once a visit report exists."""

import random
from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from portal.cases.actions import case_act
from portal.demo.clock import demo_clock
from portal.demo.site import DEMO_PASSWORD
from portal.workdays import WorkdayCalendarError
from services.models import ServiceCentrePage
from services.supervision.actions import visit_report_file, visit_summary_approve
from services.supervision.models import CheckItem, SupervisionVisit
from services.supervision.setup import supervisor_role_assign

SEED = 2026_1504
DAYS = 365
SUPERVISORS = (("supervisor_li", "李建华"), ("supervisor_zhao", "赵敏"))
# (what was found, the rectification report, the public summary)
FINDINGS = (
    (
        "上午10时许两个综合窗口仅一人在岗，另一窗口放置“暂停服务”牌约40分钟，群众排队近30分钟。",
        "已调整窗口排班，实行AB岗和错峰午休，暂停服务须经值班长同意并在叫号屏公示。",
        "窗口人员离岗导致排队时间过长，中心已调整排班并实行AB岗。",
    ),
    (
        "咨询低保申请材料时，窗口人员未一次性告知所需材料，只说“先回去开收入证明”。",
        "已组织窗口人员一次性告知制度培训，按办事指南制作材料清单卡片当场发放。",
        "未做到一次性告知，中心已开展培训并向群众发放材料清单。",
    ),
    (
        "大厅公示的殡葬服务收费标准仍为2023年版本，与现行标准不一致。",
        "已更换为现行收费标准，并建立公示内容季度核对制度。",
        "收费标准公示过期，已更换为现行标准。",
    ),
    (
        "好差评评价器处于关机状态，办结后窗口人员未提示群众评价。",
        "评价器已恢复，办结后由窗口人员提示评价，值班长每日开机检查。",
        "好差评评价器未开启，已恢复并纳入每日检查。",
    ),
    (
        "无障碍通道被快递箱堆放阻塞，轮椅无法通行；爱心座椅缺少老花镜。",
        "已清理通道并设置禁止堆放标识，补充老花镜、放大镜等适老化用品。",
        "无障碍通道阻塞，已清理并补充适老化用品。",
    ),
    (
        "公布的办公时间为9:00开始，9:10仍有三个窗口未开始受理。",
        "已要求8:50到岗做好准备，9:00准时开窗，纳入月度考核。",
        "未按公布时间开窗，已整改并纳入考核。",
    ),
)


def _supervisors(stdout=None) -> list:
    User = get_user_model()
    users = []
    for username, name in SUPERVISORS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = name
        user.is_staff = True
        user.email = user.email or f"{username}@demo.sunshine.invalid"
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.save()
        supervisor_role_assign(user=user)
        users.append(user)
    return users


def _photo(rng) -> SimpleUploadedFile:
    import io

    from PIL import Image

    out = io.BytesIO()
    colour = (rng.randint(90, 200), rng.randint(90, 200), rng.randint(90, 200))
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")


@transaction.atomic
def load(*, stdout=None) -> str:
    if not settings.PORTAL_DEMO_ACCOUNTS:
        return "明察暗访：不建演示监督员（生产设置）"
    supervisors = _supervisors(stdout)
    if SupervisionVisit.objects.exists():
        return "明察暗访：已存在，未新建"
    centres = list(
        ServiceCentrePage.objects.live()
        .filter(organisation__isnull=False, organisation__is_active=True)
        .order_by("pk")
    )
    if not centres:
        return "明察暗访：没有可暗访的中心"
    reviewer = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    rng = random.Random(SEED)  # noqa: S311 - a reproducible demo history, not a secret
    today = timezone.localdate()
    items = CheckItem.values
    filed = findings = 0
    with demo_clock() as clock:
        for offset in range(DAYS, 0, -1):
            day = today - timedelta(days=offset)
            if day.weekday() >= 5 or rng.random() > 0.4:
                continue
            clock.restart()
            clock.set(day, time(rng.randint(9, 15), rng.randint(0, 59)))
            found = rng.random() < 0.33
            problem = rng.choice(FINDINGS) if found else None
            try:
                visit = visit_report_file(
                    supervisor=rng.choice(supervisors),
                    centre_id=rng.choice(centres).pk,
                    visit_date=day,
                    checked_items=rng.sample(items, rng.randint(3, 6)),
                    checked_other=rng.choice(("", "", "自助服务终端运行情况", "叫号系统")),
                    findings=problem[0] if problem else "",
                    photos=[_photo(rng)] if problem and rng.random() < 0.3 else [],
                )
            except WorkdayCalendarError:
                continue  # a year without its holiday schedule
            filed += 1
            if not problem:
                continue
            findings += 1
            case = visit.rectification
            age = (today - day).days
            if age < 12 and rng.random() < 0.7:
                continue  # recent: still being rectified
            if case.due_date is None:
                continue
            late = rng.random() < 0.15
            spent = (case.due_date - day).days
            done_on = day + timedelta(
                days=spent + rng.randint(2, 12) if late else rng.randint(2, max(3, spent))
            )
            if done_on >= today:
                continue
            clock.set(day + timedelta(days=1), time(9, rng.randint(0, 59)))
            case = case_act(case, action="acknowledge", note="已收到，正在整改。")
            clock.set(done_on, time(16, rng.randint(0, 59)))
            case_act(case, action="rectify", data={"report": problem[1]})
            if reviewer is not None and rng.random() < 0.5:
                visit_summary_approve(visit_id=visit.pk, text=problem[2], actor=reviewer)
    return f"明察暗访：监督员{len(supervisors)}名，暗访报告{filed}份（发现问题{findings}份）"
