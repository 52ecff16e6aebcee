import json

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry, Revision

from disclosure.models import DisclosureDocumentPage, Genre, IndexNumberCounter, Topic
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue
from tests.factories import UserFactory, make_home, org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    orgs = org_tree()
    home = make_home()
    xxgk = add_catalogue(home)
    zcfg = add_catalogue(xxgk, title="政策法规", slug="zcfg")
    TopicFactory(name="社会救助", slug="shjz")
    GenreFactory(name="规范性文件", slug="gfxwj")
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


def write(tmp_path, rows):
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows),
        encoding="utf-8",
    )
    return str(path)


def run(path, *args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_disclosures", path, "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


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
    assert "<script>" not in kept.body
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


def test_a_bad_file_is_rejected_whole_with_each_line_reported(world, tmp_path):
    path = write(
        tmp_path,
        [
            record(),
            "{not json",
            record(index_number="000014349/2020-00008", topic="不存在的主题"),
            record(index_number="000014349/2020-00009", published_date="2020/04/10"),
            record(index_number="002479001/2020-00001"),
            record(index_number="000014349/2020-00010", validity="作废"),
        ],
    )
    with pytest.raises(CommandError, match="5 行数据有误，未导入任何文件"):
        run(path)
    assert DisclosureDocumentPage.objects.count() == 0


def test_reasons_are_specific(world, tmp_path, capsys):
    from io import StringIO

    path = write(
        tmp_path,
        ["{not json", record(topic="不存在的主题"), record(published_date="2020/04/10")],
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_disclosures", path, "--no-progress", stderr=err)
    text = err.getvalue()
    assert "第 1 行：不是有效的 JSON" in text
    assert "第 2 行：未知的主题分类“不存在的主题”（可用 --create-terms 自动创建）" in text
    assert "第 3 行：published_date 日期格式应为 YYYY-MM-DD，当前为“2020/04/10”" in text


def test_skip_bad_lines_and_create_terms(world, tmp_path):
    path = write(
        tmp_path,
        [
            record(),
            record(index_number="000014349/2020-00008", genre="统计信息", document_number="x1"),
            record(index_number="000014349/2020-00009", organisation="999"),
        ],
    )
    out, err = run(path, "--skip-bad-lines")
    assert "新建 1 件" in out and "跳过 2 行" in out
    assert "第 3 行（已跳过）：未知的机构代码“999”" in err
    out, _ = run(path, "--skip-bad-lines", "--create-terms")
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
def test_a_file_with_the_same_document_twice_is_rejected_whole(world, tmp_path, second):
    first = record(index_number=None) if second.get("index_number", "") is None else record()
    path = write(tmp_path, [first, record(**second)])
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="1 行数据有误，未导入任何文件"):
        call_command("import_disclosures", path, "--no-progress", stderr=err)
    assert "第 2 行：与第 1 行重复" in err.getvalue()
    assert DisclosureDocumentPage.objects.count() == 0


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
