import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, Revision

from disclosure.importer import Importer, ImportRejected
from disclosure.models import DisclosureDocumentPage, Genre, IndexNumberCounter, Topic
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue
from tests.factories import UserFactory, make_home, org_tree

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
MEDIA = FIXTURES / "old_site_files"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    orgs = org_tree()
    home = make_home()
    xxgk = add_catalogue(home)
    zcfg = add_catalogue(xxgk, title="政策法规", slug="zcfg")
    TopicFactory(name="社会救助", slug="shjz")
    GenreFactory(name="规范性文件", slug="gfxwj")
    GenreFactory(name="通知", slug="tz")
    return {"orgs": orgs, "xxgk": xxgk, "zcfg": zcfg}


def record(**overrides):
    data = {
        "title": "上海市最低生活保障工作实施办法",
        "index_number": "000014349/2020-00007",
        "document_number": "沪民规〔2020〕7号",
        "written_date": "2020-04-01",
        "published_date": "2020-04-10",
        "topic": "社会救助",
        "genre": "规范性文件",
        "organisation": "000014349",
        "validity": "有效",
        "effective_date": "2020-05-01",
        "body_html": "<p>第一条 为规范本市最低生活保障工作……</p><script>x()</script>",
        "section": "zcfg",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def write(tmp_path, rows, name="docs.jsonl"):
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows),
        encoding="utf-8",
    )
    return str(path)


def run(path, *args, ok=True):
    """The command's (stdout, stderr); with ok=False it must end in a CommandError."""
    out, err = StringIO(), StringIO()
    if ok:
        call_command("import_disclosures", path, "--no-progress", *args, stdout=out, stderr=err)
    else:
        with pytest.raises(CommandError) as exc:
            call_command("import_disclosures", path, "--no-progress", *args, stdout=out, stderr=err)
        err.write(f"\n{exc.value}")
    return out.getvalue(), err.getvalue()


def body(index_number):
    return DisclosureDocumentPage.objects.get(index_number=index_number).body


# --- the basics: publish, idempotent, per-document results ----------------------------------


def test_imports_publishes_and_is_idempotent(world, tmp_path):
    path = write(
        tmp_path,
        [
            record(),
            record(
                index_number=None, document_number="沪民发〔2021〕2号", title="关于临时救助的通知"
            ),
        ],
    )
    out, _ = run(path)
    assert "新建 2 件" in out
    kept = DisclosureDocumentPage.objects.get(document_number="沪民规〔2020〕7号")
    assert kept.live and kept.index_number == "000014349/2020-00007"
    assert kept.get_parent().specific == world["zcfg"]
    assert "<script>" not in kept.body and "x()" not in kept.body
    assert kept.revisions.count() == 1
    assigned = DisclosureDocumentPage.objects.get(document_number="沪民发〔2021〕2号")
    # The imported number is reserved: the counter never hands it (or a lower one) out again.
    assert assigned.index_number == "000014349/2020-00008"
    assert IndexNumberCounter.objects.get(year=2020).last_serial == 8

    revisions = Revision.objects.count()
    out, _ = run(path)
    assert "未变化 2 件" in out
    assert DisclosureDocumentPage.objects.count() == 2
    assert Revision.objects.count() == revisions

    path = write(tmp_path, [record(title="上海市最低生活保障工作实施办法（修订）")])
    out, _ = run(path)
    assert "更新 1 件" in out
    kept.refresh_from_db()
    assert kept.title.endswith("（修订）") and kept.index_number == "000014349/2020-00007"


def test_a_bad_document_is_reported_with_its_line_and_the_rest_goes_on(world, tmp_path):
    path = write(
        tmp_path,
        [
            "{not json",
            record(index_number="000014349/2020-00008", topic="不存在的主题"),
            record(index_number="000014349/2020-00009", published_date="2020-04-31"),
            record(index_number="002479001/2020-00001"),
            record(index_number="000014349/2020-00010", validity="作废"),
            record(),
            "[1, 2]",
        ],
    )
    out, err = run(path, ok=False)
    assert "第 1 行：不是有效的 JSON" in err
    assert "第 2 行：未知的主题分类“不存在的主题”（可用 --create-terms 自动创建）" in err
    assert (
        "第 3 行：发布日期“2020-04-31”不是日期，应写作 2026-10-10、2026/10/10 或 2026年10月10日"
        in err
    )
    assert "第 4 行：索引号的机构代码 002479001 与发布机构代码 000014349 不一致" in err
    assert "第 5 行：有效性应为 有效、失效 或 废止，当前为“作废”" in err
    assert "第 7 行：每行应为一个 JSON 对象" in err
    assert "有 6 件文件未导入" in err
    assert "新建 1 件" in out and "失败 6 件" in out
    assert list(DisclosureDocumentPage.objects.values_list("index_number", flat=True)) == [
        "000014349/2020-00007"
    ]


def test_strict_is_all_or_nothing(world, tmp_path):
    path = write(
        tmp_path, [record(), record(index_number="000014349/2020-00008", organisation="9")]
    )
    _, err = run(path, "--strict", ok=False)
    assert "第 2 行：未知的机构代码“9”" in err
    assert "--strict：有 1 件文件有误，未导入任何文件" in err
    assert DisclosureDocumentPage.objects.count() == 0


def test_strict_rolls_back_the_documents_already_imported_when_one_fails_to_publish(
    world, tmp_path
):
    TopicFactory(name="慈善事业", slug="cssy", live=False)  # not published: the publish is refused
    path = write(
        tmp_path,
        [record(), record(index_number="000014349/2020-00008", topic="慈善事业")],
    )
    with pytest.raises(ImportRejected) as exc:
        Importer(catalogue=world["xxgk"]).run(
            Path(path).read_text(encoding="utf-8").splitlines(), strict=True
        )
    assert exc.value.errors == [(2, "主题分类“慈善事业”尚未发布，请先发布该分类或另选一个。")]
    assert DisclosureDocumentPage.objects.count() == 0
    assert not IndexNumberCounter.objects.exists()
    # without --strict the good document is imported and the bad one reported
    result = Importer(catalogue=world["xxgk"]).run(
        Path(path).read_text(encoding="utf-8").splitlines()
    )
    assert result.created == 1 and result.skipped == [
        (2, "主题分类“慈善事业”尚未发布，请先发布该分类或另选一个。")
    ]


def test_an_unexpected_error_in_one_document_is_a_reason_not_a_traceback(
    world, tmp_path, monkeypatch
):
    from disclosure.importer import core

    real = core.document_publish

    def flaky(**kwargs):
        if kwargs["fields"]["title"] == "坏":
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(core, "document_publish", flaky)
    path = write(tmp_path, [record(title="坏"), record(index_number="000014349/2020-00008")])
    out, err = run(path, ok=False)
    assert "第 1 行：导入时出错（RuntimeError：disk full），本件未导入，其余文件照常导入" in err
    assert "Traceback" not in err
    assert "新建 1 件" in out
    assert DisclosureDocumentPage.objects.get().index_number == "000014349/2020-00008"


def test_create_terms_and_the_old_skip_flag(world, tmp_path):
    path = write(
        tmp_path,
        [
            record(),
            record(index_number="000014349/2020-00008", genre="统计信息", document_number="x1"),
        ],
    )
    _, err = run(path, "--skip-bad-lines", ok=False)
    assert "第 2 行：未知的体裁分类“统计信息”" in err
    out, _ = run(path, "--create-terms")
    assert "新建 1 件" in out and "未变化 1 件" in out
    assert Genre.objects.filter(name="统计信息").exists()
    assert Topic.objects.count() == 1


@pytest.mark.parametrize(
    "second",
    [
        {"title": "同一索引号的另一份文件"},
        {"index_number": None, "title": "同一文号"},
    ],
    ids=["same-index-number", "same-document-number"],
)
def test_the_same_document_twice_in_a_file_is_reported(world, tmp_path, second):
    first = record(index_number=None) if second.get("index_number", "") is None else record()
    path = write(tmp_path, [first, record(**second)])
    _, err = run(path, ok=False)
    assert "第 2 行：与第 1 行重复" in err
    assert DisclosureDocumentPage.objects.count() == 1


def test_numbers_a_file_gives_are_never_handed_to_its_documents_without_one(world, tmp_path):
    path = write(
        tmp_path,
        [
            record(index_number=None, document_number="沪民发〔2020〕1号", title="无索引号"),
            record(index_number="000014349/2020-00030", published_date="2020年13月1日"),  # bad
            record(index_number="000014349/2020-00031", document_number="沪民发〔2020〕2号"),
        ],
    )
    run(path, ok=False)
    assigned = DisclosureDocumentPage.objects.get(title="无索引号")
    assert assigned.index_number == "000014349/2020-00032"


def test_dry_run_reports_what_would_change_and_writes_nothing(world, tmp_path):
    path = write(
        tmp_path, [record(), record(index_number="000014349/2020-00008", organisation="9")]
    )
    report = tmp_path / "report.json"
    revisions = Revision.objects.count()
    out, err = run(path, "--dry-run", "--report", str(report), ok=False)
    assert "试运行（未写入任何数据）" in out and "将新建 1 件" in out
    assert "第 2 行：未知的机构代码“9”" in err
    assert DisclosureDocumentPage.objects.count() == 0
    assert not IndexNumberCounter.objects.exists() and Revision.objects.count() == revisions
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["dry_run"] is True and data["summary"]["created"] == 1
    assert [d["status"] for d in data["documents"]] == ["created", "failed"]


def test_the_import_is_logged_under_the_named_staff_member(world, tmp_path):
    editor = UserFactory(username="importer", is_superuser=True)
    run(write(tmp_path, [record()]), "--user", "importer")
    page = DisclosureDocumentPage.objects.get()
    assert page.revisions.get().user == editor
    assert PageLogEntry.objects.filter(page=page, action="wagtail.publish", user=editor).exists()


@pytest.mark.parametrize(
    "account",
    [None, {"is_active": False}, {"is_staff": False}],
    ids=["unknown", "inactive", "not-staff"],
)
def test_only_an_active_staff_member_may_be_named(world, tmp_path, account):
    if account is not None:
        UserFactory(username="importer", **account)
    with pytest.raises(CommandError, match="没有名为“importer”的在职工作人员账号"):
        run(write(tmp_path, [record()]), "--user", "importer")
    assert DisclosureDocumentPage.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/x.jsonl"], "无法读取文件"),
        (["FILE", "--encoding", "klingon"], "不认识的编码“klingon”"),
        (["FILE", "--media", "/nonexistent"], "附件目录不存在"),
        (["FILE", "--catalogue", "/nowhere/"], "找不到信息公开目录页面"),
    ],
)
def test_the_file_level_problems_are_chinese_errors(world, tmp_path, args, message):
    path = write(tmp_path, [record()])
    args = [path if a == "FILE" else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import_disclosures", *args, "--no-progress", stdout=StringIO())


# --- the corpus: what old sites really export -------------------------------------------------


def test_the_old_site_corpus_imports_without_a_traceback(world, tmp_path):
    report = tmp_path / "report.json"
    out, err = run(str(FIXTURES / "old_site.jsonl"), "--report", str(report), ok=False)
    assert "Traceback" not in err
    assert "新建 6 件" in out and "失败 1 件" in out
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["media"].endswith("old_site_files") and data["encoding"] == "utf-8"
    docs = {d["line"]: d for d in data["documents"]}

    # 1. the example: unclosed <img> and <br>, the figure imported as a Wagtail image
    image = get_image_model().objects.get(title="示意图")
    assert body("000014349/2020-00101") == (
        "<p>现将有关事项通知如下。</p>"
        f'<embed embedtype="image" format="fullwidth" id="{image.pk}" alt="示意图"/>'
        "<p>请遵照执行。</p><hr/><p>特此通知。</p>"
    )
    assert image.collection.is_root()  # the bureau has no editorial set-up in this test

    # 2. Word paste: no o:p, mso styles, font or conditional comments, every word kept
    assert body("000014349/2020-00102") == (
        "<p><b>第一章　总则</b></p>"
        "<p>第一条　为规范最低生活保障家庭财产状况认定工作，制定本办法。</p>"
        "<p>上海市民政局</p><p>1. 存款、有价证券</p>"
    )

    # 3. a layout table holding a data table with merged cells and a nested table
    assert body("000014349/2020-00103") == (
        "<p>各区低保发放情况如下：</p><p>（见附表1：表1 各区发放情况）</p><p>数据截至3月31日。</p>"
    )
    [table] = DisclosureDocumentPage.objects.get(index_number="000014349/2020-00103").tables
    assert table.block_type == "table"
    assert table.value["table_caption"] == "附表1　表1 各区发放情况"
    assert table.value["data"] == [
        ["区", "人数", ""],
        ["", "城镇", "农村"],
        ["黄浦区", "1,203", "—"],
        ["浦东新区", "8,410", "其中： 惠南镇 312"],
    ]
    assert table.value["mergeCells"] == [
        {"row": 0, "col": 0, "rowspan": 2, "colspan": 1},
        {"row": 0, "col": 1, "rowspan": 1, "colspan": 2},
    ]
    assert table.value["first_row_is_table_header"] is True
    assert docs[3]["warnings"] == ["嵌套在表格单元格或列表中的 1 个表格已展开为文字，请核对"]

    # 4. hostile markup removed, and reported
    assert body("000014349/2020-00104") == (
        "<p>请点击这里报名。</p><p>查看详情</p>"
        '<p>详见<a href="http://www.gov.cn/zhengce/content/2020-01/01/content_1.htm">国务院文件</a>。</p>'
    )
    assert docs[4]["removed"] == [
        "已移除<iframe> 1 处",
        "已移除<script> 1 处",
        "已移除javascript: 链接 2 处",
        "已移除不安全的图片地址 1 处",
        "已移除事件属性 onclick 1 处",
        "已移除事件属性 onmouseover 1 处",
    ]
    assert "第 4 行（安全清理）：已移除<script> 1 处" in err

    # 5. attachments: relinked, missing ones reported, a disguised one refused by content
    page = DisclosureDocumentPage.objects.get(index_number="000014349/2020-00105")
    form = get_document_model().objects.get(title="临时救助申请审批表")
    word = get_document_model().objects.get(title="原通知（Word 版）")
    assert f'<a linktype="document" id="{form.pk}">临时救助申请审批表</a>' in page.body
    assert f'<a linktype="document" id="{word.pk}">原通知（Word 版）</a>' in page.body
    assert "<p>统计表（缺失）</p>" in page.body and "missing.xls" not in page.body
    assert [(a.document_id, a.title) for a in page.attachments.all()] == [
        (form.pk, "临时救助申请审批表")
    ]
    assert docs[5]["missing_files"] == ["/uploads/2020/missing.xls", "/uploads/2020/lost.pdf"]
    assert (
        "“fake.pdf”的内容与扩展名 .pdf 不符（按文件内容检查，而非扩展名）。" in docs[5]["warnings"]
    )
    assert "第 1 张图片没有替代文本，暂用“附图1”，请编辑补充。" in docs[5]["warnings"]
    assert "第 5 行（缺少文件）：/uploads/2020/lost.pdf" in err
    assert get_document_model().objects.count() == 2  # the form once, though linked twice

    # 6. the bad one, and 7. headings and nested lists
    assert docs[6]["status"] == "failed" and "2020年13月45日" in docs[6]["errors"][0]
    assert DisclosureDocumentPage.objects.get(document_number="沪民养〔2020〕8号").body == (
        "<h3>一、申领条件</h3><ul><li>年满 60 周岁</li><li>本市户籍<ul><li>含集体户口</li></ul>"
        "</li></ul><h4>（一）材料</h4><ol><li>身份证<br/>户口簿</li></ol>"
        "<p>咨询电话：&lt;12345&gt; &amp; 各区民政局</p>"
    )

    # a second run changes nothing and imports no file twice
    revisions, files = Revision.objects.count(), get_document_model().objects.count()
    out, _ = run(str(FIXTURES / "old_site.jsonl"), ok=False)
    assert "未变化 6 件" in out
    assert Revision.objects.count() == revisions
    assert get_document_model().objects.count() == files
    assert get_image_model().objects.count() == 2


def test_files_go_into_the_organisations_collection(world, tmp_path):
    from portal.editorial.setup import organisation_setup

    organisation_setup(organisation=world["orgs"]["bureau"])
    collection = world["orgs"]["bureau"].editorial.collection
    path = write(
        tmp_path,
        [record(body_html='<p><img src="http://old.example/uploads/2020/shiyitu.png" alt="图">')],
    )
    run(path, "--media", str(MEDIA))
    assert get_image_model().objects.get().collection == collection


def test_a_gbk_csv_export_with_chinese_headers_and_three_date_forms(world, tmp_path):
    report = tmp_path / "report.json"
    out, err = run(
        str(FIXTURES / "old_site_gbk.csv"), "--media", str(MEDIA), "--report", str(report), ok=False
    )
    assert "第 5 行：未知的机构代码“999999”" in err  # its line, although a body spans two lines
    assert "新建 3 件" in out
    first = DisclosureDocumentPage.objects.get(index_number="000014349/2019-00021")
    assert first.body == (
        "<p>各区民政局：<br/>经研究，决定调整补贴标准，具体如下：</p>"
        "<p>一、基本丧葬服务费用，全额补贴。</p>"
    )
    assert str(first.published_date) == "2019-06-10" and str(first.written_date) == "2019-06-01"
    assert [a.display_title for a in first.attachments.all()] == ["殡葬补贴申请表"]
    second = DisclosureDocumentPage.objects.get(index_number="000014349/2019-00022")
    assert str(second.written_date) == "2019-07-01" and str(second.published_date) == "2019-07-05"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["encoding"] == "gb18030" and data["format"] == "csv"
    # the encoding can be given; a wrong one is a clear error, not mojibake
    _, err = run(str(FIXTURES / "old_site_gbk.csv"), "--encoding", "utf-8", ok=False)
    assert "文件不是 utf-8 编码" in err


def test_a_failed_document_leaves_no_stored_file_behind(world, tmp_path, settings):
    TopicFactory(name="慈善事业", slug="cssy", live=False)
    path = write(
        tmp_path,
        [
            record(
                topic="慈善事业",
                body_html='<p><img src="/uploads/2020/shiyitu.png" alt="图"></p>',
            )
        ],
    )
    run(path, "--media", str(MEDIA), ok=False)
    assert not get_image_model().objects.exists()
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == []


def test_the_import_queues_no_index_task_and_the_documents_are_searchable(world, tmp_path):
    from wagtail.search.backends import get_search_backend

    path = write(tmp_path, [record(body_html="<p>殡葬补贴<br>发放</p>")])
    run(path)
    results = get_search_backend().search("殡葬补贴", DisclosureDocumentPage)
    assert [p.index_number for p in results] == ["000014349/2020-00007"]


# --- what the validation says, line by line (nothing is published) ----------------------------
def test_every_kind_of_bad_record_gets_its_chinese_reason(world):
    from disclosure.importer.sources import Row

    importer = Importer(catalogue=world["xxgk"])
    rows = [
        Row(1, data={"title": "", "topic": "社会救助", "营业执照": "x"}),
        Row(2, data=record(index_number="000014349-2020-7")),
        Row(3, data=record(index_number="", document_number="")),
        Row(4, data=record(attachments={"url": "a.pdf"})),
        Row(5, data=record(section="nowhere")),
        Row(6, data=record(validity="作废")),
        Row(7, data=record(effective_date="2020-05-01", repealed_date="2020-04-01")),
        Row(8, data=record(organisation="999999999")),
    ]
    records, failures = importer.parse(rows)
    assert records == []
    reasons = {f.line: f.reason for f in failures}
    assert reasons[1] == "缺少必填项：标题、发布日期、体裁分类、发布机构；未知字段：营业执照"
    assert reasons[2] == "索引号“000014349-2020-7”格式不正确"
    assert reasons[3] == "索引号和发文字号至少填写一项，以便重复导入时识别同一文件"
    assert reasons[4] == "附件应为列表"
    assert reasons[5] == "未知的栏目“nowhere”"
    assert reasons[6] == "有效性应为 有效、失效 或 废止，当前为“作废”"
    assert "有效的文件不应填写废止/失效日期。" in reasons[7]
    assert reasons[8].startswith("未知的机构代码“999999999”")


def test_links_of_every_kind_and_a_created_term_whose_slug_is_taken(world, tmp_path):
    TopicFactory(name="Old Topic", slug="new-topic")
    body = (
        '<p><a href="mailto:mzj@example.gov.cn">信箱</a> <a href="ftp://old/a.txt">旧FTP</a> '
        '<a href="http://old.example.gov.cn/missing.pdf">缺失附件</a> '
        '<a href="https://www.gov.cn/zhengce/">国务院</a> <a href="/col/col123/index.html">旧栏目</a> '
        '<a href="/uploads/gone.pdf">不在</a></p>'
    )
    result = Importer(catalogue=world["xxgk"], create_terms=True).run(
        [json.dumps(record(body_html=body, topic="New Topic"), ensure_ascii=False)]
    )
    [doc] = result.documents
    assert doc.status == "created", doc.errors
    page = DisclosureDocumentPage.objects.get(pk=doc.page_id)
    assert page.body == (
        '<p><a href="mailto:mzj@example.gov.cn">信箱</a> 旧FTP '
        '<a href="http://old.example.gov.cn/missing.pdf">缺失附件</a> '
        '<a href="https://www.gov.cn/zhengce/">国务院</a> 旧栏目 不在</p>'
    )
    assert doc.missing_files == ["http://old.example.gov.cn/missing.pdf", "/uploads/gone.pdf"]
    assert (
        "站内链接“/col/col123/index.html”无法对应到新网站的页面，已去掉链接、保留文字“旧栏目”"
        in doc.warnings
    )
    assert page.topic.name == "New Topic" and page.topic.slug == "new-topic-2"
