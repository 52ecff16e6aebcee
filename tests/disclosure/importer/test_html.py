"""Old-CMS HTML → the body's rich text (and 附表), without a database: void tags, Word paste,
nested lists and tables, hostile markup."""

from disclosure.importer.html import Normaliser


def normalise(html, images=None, links=None):
    images = images if images is not None else {}
    links = links if links is not None else {}
    return Normaliser(
        resolve_image=lambda src, alt: images.get(src),
        resolve_link=lambda href, text: links.get(href, ("external", href)),
    ).normalise(html)


def test_void_tags_headings_and_indentation():
    result = normalise(
        "<h1>总标题</h1><h2>一、总则</h2><h5>（一）</h5><p>　　第一条&nbsp;&nbsp;内容<br>"
        "第二行<br><br></p><hr><div>  </div><p>末段</p>"
    )
    assert result.html == (
        "<h3>总标题</h3><h4>一、总则</h4><h4>（一）</h4><p>第一条 内容<br/>第二行</p><hr/><p>末段</p>"
    )


def test_word_paste_marks_from_styles_and_pre():
    result = normalise(
        '<p class=MsoNormal><b style="mso-bidi-font-weight:normal">粗</b><span '
        'style="font-weight:700">重</span><span style="font-style: italic">斜</span>'
        '<span style="vertical-align:super">上</span><span style="vertical-align:sub">下</span>'
        "<o:p></o:p><font face=宋体>字</font><!--[if gte mso 9]><xml>x</xml><![endif]--></p>"
        "<pre>第一行\n  第二行<b>粗</b></pre><center>居中</center>"
    )
    assert result.html == (
        "<p><b>粗重</b><i>斜</i><sup>上</sup><sub>下</sub>字</p>"
        "<p>第一行<br/>第二行<b>粗</b></p><p>居中</p>"
    )


def test_nested_lists_as_word_writes_them_and_loose_content():
    result = normalise(
        "<ul><li>甲<ol><li>甲1</li></ol></li><ul><li>乙1</li></ul>松散<p>段</p>"
        "<li>有图<img src=/a.png alt=图></li></ul><ul></ul>",
        images={"/a.png": 7},
    )
    assert result.html == (
        "<ul><li>甲<ol><li>甲1</li></ol><ul><li>乙1</li></ul></li><li>有图</li>"
        "<li>松散<br/>段</li></ul>"
        '<embed embedtype="image" id="7" format="fullwidth" alt="图"/>'
    )
    assert result.images == 1


def test_hostile_markup_is_removed_and_counted():
    result = normalise(
        '<p onclick="steal()">点<a href=" JaVa&#10;script:alert(1)">这里</a>'
        '<a href="vbscript:x">二</a><a href="#top">顶</a><a>无</a></p>'
        "<script>alert(1)</script><iframe src=//evil></iframe><object></object><style>p{}</style>"
        '<img src="javascript:x()"><img src="data:image/png;base64,AAAA"><img>'
        '<meta http-equiv=refresh content="0;url=//evil"><svg onload=x()><text>s</text></svg>'
        "<form><input value=x><button>提交</button></form>"
    )
    assert result.html == "<p>点这里二顶无</p>"
    assert result.removed_messages() == [
        "已移除<iframe> 1 处",
        "已移除<meta> 1 处",
        "已移除<object> 1 处",
        "已移除<script> 1 处",
        "已移除javascript: 链接 1 处",
        "已移除vbscript: 链接 1 处",
        "已移除不安全的图片地址 2 处",
        "已移除事件属性 onclick 1 处",
        "已移除事件属性 onload 1 处",
    ]


def test_links_documents_and_images_without_alt():
    result = normalise(
        '<p><a href="/files/a.pdf">申请表</a> 与 <a href="http://www.gov.cn/">国务院</a>'
        '<a href="/old/page.htm">旧页</a></p><p><img src="/b.png" title="流程"><img src="/c.png">'
        '<img src="/missing.png" alt="丢失"></p>',
        images={"/b.png": 2, "/c.png": 3},
        links={"/files/a.pdf": ("document", 9), "/old/page.htm": None},
    )
    assert result.html == (
        '<p><a linktype="document" id="9">申请表</a> 与 <a href="http://www.gov.cn/">国务院</a>'
        "旧页</p>"
        '<embed embedtype="image" id="2" format="fullwidth" alt="流程"/>'
        '<embed embedtype="image" id="3" format="fullwidth" alt="附图2"/>'
    )
    assert result.notes == ["第 2 张图片没有替代文本，暂用“附图2”，请编辑补充。"]


def test_layout_tables_become_paragraphs_and_data_tables_become_schedules():
    result = normalise(
        "<table><caption>版式</caption><tr><td><p>正文一</p></td></tr><tr><td>正文二</td></tr></table>"
        "<table><tr><td>项目</td><td><a href=/files/b.doc>表格下载</a><a href=/files/c.doc>"
        "填写说明</a></td></tr><tr><td><ul><li>一</li><li>二</li></ul></td>"
        "<td><img src=/d.png alt=章>盖章</td></tr></table>",
        images={"/d.png": 4},
        links={"/files/b.doc": ("document", 5), "/files/c.doc": ("document", 6)},
    )
    assert result.html == (
        "<p><b>版式</b></p><p>正文一</p><p>正文二</p><p>（见附表1）</p>"
        '<p>附表1中的链接：<a linktype="document" id="5">表格下载</a>；'
        '<a linktype="document" id="6">填写说明</a></p>'
        '<embed embedtype="image" id="4" format="fullwidth" alt="章"/>'
    )
    [table] = result.tables
    assert table["table_caption"] == "附表1"
    assert table["data"] == [["项目", "表格下载填写说明"], ["一\n二", "盖章"]]
    assert table["table_header_choice"] == "neither"


def test_overlapping_and_absurd_spans_are_cut_back():
    result = normalise(
        "<table><tr><th>甲</th><th>乙</th><th rowspan=3>丙</th></tr>"
        "<tr><td colspan=5>跨越丙</td></tr><tr><td colspan=1000 rowspan=0>宽</td></tr></table>"
    )
    [table] = result.tables
    assert table["mergeCells"] == [
        {"row": 0, "col": 2, "rowspan": 3, "colspan": 1},
        {"row": 1, "col": 0, "rowspan": 1, "colspan": 2},
        {"row": 2, "col": 0, "rowspan": 1, "colspan": 2},
    ]
    assert table["data"] == [["甲", "乙", "丙"], ["跨越丙", "", ""], ["宽", "", ""]]
    assert table["first_row_is_table_header"] is True


def test_tables_nested_in_cells_and_list_items_are_flattened_and_counted():
    result = normalise(
        "<table><tr><th>区</th><th>说明</th></tr><tr><th>黄浦</th><td>见下"
        "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table></td></tr></table>"
        "<ul><li>附：<table><tr><td>x</td><td>y</td></tr></table></li></ul>"
    )
    assert result.nested_tables == 2
    assert result.tables[0]["data"] == [["区", "说明"], ["黄浦", "见下 a b；c"]]
    assert result.tables[0]["table_header_choice"] == "both"
    assert result.html == "<p>（见附表1）</p><ul><li>附： x y</li></ul>"


def test_blocks_inside_list_items_and_cells():
    result = normalise(
        "<ul><!-- 旧系统注释 --><li><h2>标题</h2>内容<hr>续</li><li>空<ul></ul></li></ul>"
        "<table><tr><td><ul><!-- x --><li>一</li></ul></td><td><h3>小标题</h3>正文</td></tr></table>"
    )
    assert result.html == "<ul><li>标题<br/>内容续</li><li>空</li></ul><p>（见附表1）</p>"
    assert result.tables[0]["data"] == [["一", "小标题\n正文"]]


def test_a_link_split_by_markup_is_listed_once_and_an_empty_table_keeps_its_image():
    result = normalise(
        "<table><tr><td><a href=/f.doc>表格<b>下载</b></a></td><td>说明</td></tr></table>"
        "<table><tr><td><img src=/d.png alt=章></td><td> </td></tr></table>",
        images={"/d.png": 4},
        links={"/f.doc": ("document", 5)},
    )
    assert result.html == (
        '<p>（见附表1）</p><p>附表1中的链接：<a linktype="document" id="5">表格下载</a></p>'
        '<embed embedtype="image" id="4" format="fullwidth" alt="章"/>'
    )
    assert len(result.tables) == 1


def test_line_breaks_and_spaces_at_the_edges():
    assert normalise("<p><br><br>文字</p><p>甲<b> </b><br>乙</p>").html == (
        "<p>文字</p><p>甲<br/>乙</p>"
    )
