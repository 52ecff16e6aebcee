"""manage.py import_disclosures FILE: import an old CMS's export (see disclosure/importer/)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from disclosure.importer import Importer, ImportRejected
from disclosure.importer.core import CREATED, FAILED, UNCHANGED, UPDATED
from disclosure.importer.sources import FORMATS, SourceError, decode, detect_format, read_rows
from disclosure.models import DisclosureIndexPage

STATUS_LABELS = {CREATED: "新建", UPDATED: "更新", UNCHANGED: "未变化", FAILED: "失败"}
DRY_LABELS = {CREATED: "将新建", UPDATED: "将更新", UNCHANGED: "未变化", FAILED: "失败"}
MEDIA_FOLDERS = ("{stem}_files", "{stem}.files", "files", "attachments")


class Command(BaseCommand):
    help = (
        "Import disclosure documents from an old site's export: JSON Lines or CSV, UTF-8 or "
        "GB18030/GBK. Each document is imported in its own transaction; a bad one is reported with "
        "its line and the rest go on (--strict: all or nothing). Bodies are normalised to the "
        "editor's rich text; attachments and images come from the folder beside the file "
        "(--media). Idempotent by index number (or document number)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="export file (.jsonl or .csv); '-' reads standard input")
        parser.add_argument(
            "--format", choices=("auto", *FORMATS), default="auto", help="default: by the name"
        )
        parser.add_argument(
            "--encoding",
            default="",
            help="e.g. gbk, gb18030, utf-8 (default: UTF-8 if the file is valid UTF-8, else GB18030)",
        )
        parser.add_argument(
            "--media",
            default="",
            help="folder of the attachments and images the bodies refer to (default: FILE_STEM_files, "
            "files or attachments beside the file, if there is one)",
        )
        parser.add_argument(
            "--create-terms",
            action="store_true",
            help="create unknown topics and genres instead of rejecting their documents",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="all or nothing: any bad document and nothing is imported",
        )
        parser.add_argument(
            "--skip-bad-lines",
            action="store_true",
            help="kept for old scripts: importing the good documents of a file is now the default",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="do everything, report what would change, then roll it all back",
        )
        parser.add_argument(
            "--report", default="", help="write a JSON report of every document here"
        )
        parser.add_argument(
            "--catalogue",
            default="",
            help="url path of the catalogue page to import under (default: the first catalogue)",
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
        parser.add_argument(
            "--user",
            default="",
            help="username of the staff member running the import: revisions, publishes and "
            "validity changes are logged under this user in the audit log",
        )

    def _user(self, username: str):
        if not username:
            return None
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not (
            user.is_superuser or user.is_staff or hasattr(user, "staff_profile")
        ):
            raise CommandError(f"没有名为“{username}”的在职工作人员账号。")
        return user

    def _read(self, options) -> tuple[list, str, str]:
        name = options["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件：{exc.strerror or exc}（{name}）") from None
        try:
            text, encoding = decode(data, options["encoding"])
        except SourceError as exc:
            raise CommandError(str(exc)) from None
        fmt = options["format"]
        if fmt == "auto":
            fmt = detect_format("" if name == "-" else name, text)
        return list(read_rows(text, fmt)), encoding, fmt

    @staticmethod
    def _media_root(options) -> Path | None:
        if options["media"]:
            root = Path(options["media"])
            if not root.is_dir():
                raise CommandError(f"附件目录不存在：{root}")
            return root
        if options["file"] == "-":
            return None
        path = Path(options["file"])
        for pattern in MEDIA_FOLDERS:
            candidate = path.parent / pattern.format(stem=path.stem)
            if candidate.is_dir():
                return candidate
        return None

    def handle(self, *args, **options):
        catalogue = self._catalogue(options["catalogue"])
        user = self._user(options["user"])
        media_root = self._media_root(options)
        rows, encoding, fmt = self._read(options)
        importer = Importer(
            catalogue=catalogue,
            create_terms=options["create_terms"],
            user=user,
            media_root=media_root,
        )
        show = not options["no_progress"]

        def progress(records):
            return tqdm(records, desc="导入", unit="件", disable=not show, file=self.stderr._out)

        rejected = None
        try:
            result = importer.run(
                rows, strict=options["strict"], dry_run=options["dry_run"], progress=progress
            )
        except ImportRejected as exc:
            rejected, result = exc, exc.result
        self._details(result)
        self._write_report(options, result, encoding, fmt, media_root, rejected)
        if rejected is not None:
            raise CommandError(
                f"--strict：有 {len(rejected.errors)} 件文件有误，未导入任何文件。修正后重新导入。"
            )
        self._summary(result)
        if result.failed:
            raise CommandError(
                f"有 {len(result.failed)} 件文件未导入（原因见上，按行号修正后重新导入即可，"
                "已导入的文件不会重复）。"
            )

    def _details(self, result) -> None:
        for doc in result.documents:
            if doc.status == FAILED:
                self.stderr.write(f"第 {doc.line} 行：{doc.reason}")
                continue
            for reference in doc.missing_files:
                self.stderr.write(f"第 {doc.line} 行（缺少文件）：{reference}")
            for removed in doc.removed:
                self.stderr.write(f"第 {doc.line} 行（安全清理）：{removed}")
            for warning in doc.warnings:
                self.stderr.write(f"第 {doc.line} 行（提示）：{warning}")

    def _summary(self, result) -> None:
        labels = DRY_LABELS if result.dry_run else STATUS_LABELS
        counts = result.summary()
        rows = [
            (labels[CREATED], counts["created"]),
            (labels[UPDATED], counts["updated"]),
            (labels[UNCHANGED], counts["unchanged"]),
            (labels[FAILED], counts["failed"]),
            ("其中有提示", counts["with_warnings"]),
            ("合计", counts["total"]),
        ]
        title = "试运行（未写入任何数据）" if result.dry_run else "导入完成"
        rate = counts["total"] / result.seconds if result.seconds else 0
        self.stdout.write(f"{title}：用时 {result.seconds:.1f} 秒（{rate:.0f} 件/秒）")
        width = max(len(label) for label, _n in rows)
        self.stdout.write("─" * (width * 2 + 10))
        for label, number in rows:
            self.stdout.write(f"{label}{'　' * (width - len(label))}  {number:>6}")
        self.stdout.write("─" * (width * 2 + 10))
        # the one-line form older scripts look for
        self.stdout.write(
            self.style.SUCCESS(
                f"{title}：{labels[CREATED]} {counts['created']} 件，{labels[UPDATED]} "
                f"{counts['updated']} 件，未变化 {counts['unchanged']} 件，失败 {counts['failed']} 件。"
            )
        )

    def _write_report(self, options, result, encoding, fmt, media_root, rejected) -> None:
        if not options["report"]:
            return
        report = {
            "file": options["file"],
            "format": fmt,
            "encoding": encoding,
            "media": str(media_root) if media_root else None,
            "rejected": rejected is not None,
            **result.as_dict(),
        }
        try:
            Path(options["report"]).write_text(
                json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        except OSError as exc:
            raise CommandError(f"无法写入报告文件：{exc.strerror or exc}") from None
        self.stdout.write(f"报告已写入 {options['report']}")

    @staticmethod
    def _catalogue(url_path: str) -> DisclosureIndexPage:
        qs = DisclosureIndexPage.objects.order_by("depth", "path")
        if url_path:
            path = "/" + url_path.strip("/") + "/"
            page = next((p for p in qs if p.url_path.endswith(path)), None)
        else:
            page = qs.first()
        if page is None:
            raise CommandError("找不到信息公开目录页面，请先创建（或用 --catalogue 指定）。")
        return page
