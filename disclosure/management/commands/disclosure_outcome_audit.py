"""List the replied 依申请公开 requests whose recorded outcome breaks an outcome rule (（四）3 without
an answered 补正, （六）1 before a 补正 period lapsed or without one, （六）2 without a fee notice).
Read only: the records and the annual reports are not changed; staff review each case.

    manage.py disclosure_outcome_audit [--organisation CODE]

Exits with status 1 when something is listed (for a scheduled check), 0 otherwise."""

from django.core.management.base import BaseCommand, CommandError

from disclosure.requests.selectors import outcome_rule_audit
from portal.formats import cn_date
from portal.organisations import Organisation, subtree_ids


class Command(BaseCommand):
    help = "列出答复结果不符合条例前提条件的政府信息公开申请（只读，不修改数据）"

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="机构代码：只查该机构及下级机构")

    def handle(self, *args, organisation=None, **options):
        ids = None
        if organisation:
            org = Organisation.objects.filter(code=organisation).first()
            if org is None:
                raise CommandError(f"机构代码“{organisation}”不存在。")
            ids = subtree_ids(org)
        found = outcome_rule_audit(organisation_ids=ids)
        for item in found:
            replied = cn_date(item.replied_on) if item.replied_on else "—"
            self.stdout.write(
                f"{item.case_number}\t{item.organisation}\t收到{cn_date(item.received_on)}\t"
                f"答复{replied}\t{item.outcome}\n    {item.problem}"
            )
        if not found:
            self.stdout.write("未发现答复结果不符合前提条件的申请。")
            return
        self.stdout.write(f"共{len(found)}件，请逐件核查；本命令不修改数据，年度报告数字不变。")
        raise SystemExit(1)
