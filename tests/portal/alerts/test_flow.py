"""Alerts end to end: subscribe → confirmation mail → confirm → a publish → alert mail with the
RFC 8058 headers → one-click unsubscribe (POST, no CSRF token) → no more mail."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from disclosure.models import Validity
from portal.alerts import actions
from portal.alerts.models import AlertChange, Frequency, Subscription, SubscriptionStatus
from tests.disclosure.factories import GenreFactory, TopicFactory, add_catalogue, add_document
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home = make_home()
    tree = org_tree()
    xxgk = add_catalogue(home)
    topic = TopicFactory(name="社会救助", slug="shjz")
    other = TopicFactory(name="养老服务", slug="ylfw")
    genre = GenreFactory(name="通知", slug="tz")
    return {
        "home": home,
        "tree": tree,
        "xxgk": xxgk,
        "topic": topic,
        "other": other,
        "genre": genre,
    }


def _link(body: str, kind: str) -> str:
    found = re.search(rf"https?://[^\s]+(/dy/{kind}/[^\s/]+/)", body)
    assert found, body
    return found.group(1)


def _subscribe(client, capture, **data):
    with capture(execute=True):
        return client.post("/dy/", data)


def test_subscribe_confirm_alert_and_one_click_unsubscribe(
    world, django_capture_on_commit_callbacks
):
    client = Client(enforce_csrf_checks=True)
    form = client.get(f"/dy/?source=xxgk&within={world['xxgk'].pk}&topic=shjz")
    assert form.status_code == 200
    assert "主题分类：社会救助" in form.context["description"]
    assert "no-store" in form["Cache-Control"]
    token = form.cookies["csrftoken"].value
    response = _subscribe(
        client,
        django_capture_on_commit_callbacks,
        source="xxgk",
        within=world["xxgk"].pk,
        topic="shjz",
        email="reader@example.cn",
        frequency="instant",
        csrfmiddlewaretoken=form.context["csrf_token"],
    )
    assert response.status_code == 200, response.content.decode()[:500]
    assert token  # a CSRF cookie was set for the form
    sub = Subscription.objects.get()
    assert sub.status == SubscriptionStatus.PENDING
    assert sub.masked_email == "r***@example.cn"
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["reader@example.cn"]
    assert "请确认订阅" in confirmation.subject
    assert "List-Unsubscribe" not in confirmation.extra_headers

    # Nothing is sent before the confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        add_document(world["xxgk"], organisation=world["tree"]["bureau"], topic=world["topic"])
    assert len(mail.outbox) == 1

    confirm_path = _link(confirmation.body, "confirm")
    assert client.get(confirm_path).status_code == 200  # a page with a button, nothing confirmed
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING
    page = client.get(confirm_path)
    confirmed = client.post(confirm_path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert confirmed.status_code == 200
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE
    # The link works once.
    again = client.post(confirm_path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert again.status_code == 404

    # A matching publish → an instant alert; a document of another topic → nothing.
    with django_capture_on_commit_callbacks(execute=True):
        doc = add_document(
            world["xxgk"],
            organisation=world["tree"]["bureau"],
            topic=world["topic"],
            title="关于调整最低生活保障标准的通知",
        )
        add_document(world["xxgk"], organisation=world["tree"]["bureau"], topic=world["other"])
    assert len(mail.outbox) == 2
    alert = mail.outbox[1]
    assert alert.to == ["reader@example.cn"]
    assert "关于调整最低生活保障标准的通知" in alert.subject
    assert doc.url in alert.body
    assert "养老" not in alert.body
    unsubscribe_header = alert.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https?://[^>]+/dy/unsubscribe/[^/]+/>", unsubscribe_header)
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_path = _link(alert.body, "unsubscribe")
    assert unsubscribe_header.endswith(unsubscribe_path + ">")

    # RFC 8058: the mail client POSTs the body below, with no cookie and no CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(
        unsubscribe_path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not Subscription.objects.exists()  # the address is gone with it
    # A retry by the mail client is not an error.
    assert Client().post(unsubscribe_path, {"List-Unsubscribe": "One-Click"}).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        add_document(world["xxgk"], organisation=world["tree"]["bureau"], topic=world["topic"])
    assert len(mail.outbox) == 2


def _active(email, source, data, frequency=Frequency.DAILY):
    sub = actions.subscription_request(
        email=email, source=source, data=data, frequency=frequency, client="10.0.0.1"
    )
    sub.status = SubscriptionStatus.ACTIVE
    sub.save()
    return sub


def test_a_forged_or_altered_unsubscribe_link_deletes_nothing(world):
    sub = _active("a@example.cn", "page", {"page": world["xxgk"].pk})
    from portal.alerts.mail import unsubscribe_url

    path = unsubscribe_url(sub).split("://", 1)[1].split("/", 1)[1]
    forged = "/" + path.replace("/unsubscribe/", "/unsubscribe/x")
    assert Client().post(forged, {}).status_code == 200
    assert Subscription.objects.filter(pk=sub.pk).exists()
    assert Client().get("/" + path).context["subscription"] == sub
    assert Client().post("/" + path, {}).status_code == 200
    assert not Subscription.objects.filter(pk=sub.pk).exists()


def test_daily_digest_collects_the_days_changes_and_follows_each_subscription(world):
    bureau = world["tree"]["bureau"]
    xxgk = world["xxgk"]
    page_sub = _active("page@example.cn", "page", {"page": 0} if False else {"page": xxgk.pk})
    topic_sub = _active("topic@example.cn", "xxgk", {"topic": "shjz", "validity": "valid"})
    search_sub = _active("search@example.cn", "search", {"q": "养老"})
    mail.outbox.clear()
    for sub in (page_sub, topic_sub, search_sub):
        sub.cursor = 0
        sub.save()
    docs = [
        add_document(xxgk, organisation=bureau, topic=world["topic"], title="社会救助第一号通知"),
        add_document(xxgk, organisation=bureau, topic=world["topic"], title="社会救助第二号通知"),
        add_document(
            xxgk,
            organisation=bureau,
            topic=world["topic"],
            title="已废止的社会救助通知",
            validity=Validity.REPEALED,
            repealed_date=date(2026, 4, 1),
        ),
        add_document(xxgk, organisation=bureau, topic=world["other"], title="养老服务补贴的通知"),
    ]
    xxgk.save_revision().publish()  # the catalogue page itself changes too
    # A change older than a day is not in today's digest.
    AlertChange.objects.filter(page=docs[0]).update(published_at=timezone.now() - timedelta(days=2))
    counts = actions.send_daily_digest.call()
    assert counts["sent"] == 3
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"page@example.cn", "topic@example.cn", "search@example.cn"}
    topic_mail = by_to["topic@example.cn"].body
    assert "社会救助第二号通知" in topic_mail
    assert "社会救助第一号通知" not in topic_mail  # two days old
    assert "已废止" not in topic_mail  # the filter asks for 有效 only
    assert "养老" not in topic_mail
    assert "（2条）" not in by_to["topic@example.cn"].subject
    assert "养老服务补贴的通知" in by_to["search@example.cn"].body
    assert "社会救助第二号通知" not in by_to["search@example.cn"].body
    assert xxgk.title in by_to["page@example.cn"].body
    for m in mail.outbox:
        assert m.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Run again: nothing new, nothing sent.
    mail.outbox.clear()
    assert actions.send_daily_digest.call()["sent"] == 0
    assert mail.outbox == []


def test_unconfirmed_subscriptions_are_deleted_after_the_link_expires(world):
    sub = actions.subscription_request(
        email="late@example.cn",
        source="search",
        data={"q": "低保"},
        frequency="daily",
        client="10.0.0.2",
    )
    Subscription.objects.filter(pk=sub.pk).update(created_at=timezone.now() - timedelta(days=4))
    assert actions.alerts_purge()["pending_deleted"] == 1
    assert not Subscription.objects.exists()


def test_subscribe_is_rate_limited_per_client(world, django_capture_on_commit_callbacks):
    client = Client()
    for n in range(actions.SUBSCRIBE_LIMIT_PER_CLIENT.limit):
        response = _subscribe(
            client,
            django_capture_on_commit_callbacks,
            source="search",
            q="低保",
            email=f"u{n}@example.cn",
            frequency="daily",
        )
        assert response.status_code == 200
    response = _subscribe(
        client,
        django_capture_on_commit_callbacks,
        source="search",
        q="低保",
        email="last@example.cn",
        frequency="daily",
    )
    assert response.status_code == 429
    assert "订阅申请过于频繁" in response.content.decode()
    assert response["Retry-After"]
    # Another client (behind the same proxy rules) is not affected.
    other = _subscribe(
        Client(REMOTE_ADDR="10.9.9.9"),
        django_capture_on_commit_callbacks,
        source="search",
        q="低保",
        email="other@example.cn",
        frequency="daily",
    )
    assert other.status_code == 200


def test_bad_input_gets_chinese_errors(world):
    client = Client()
    assert client.get("/dy/?source=nothing").status_code == 404
    assert "没有这个主题分类" in client.get("/dy/?source=xxgk&topic=nope").content.decode()
    bad = client.post("/dy/", {"source": "search", "q": "低保", "email": "x", "frequency": "daily"})
    assert bad.status_code == 422
    assert "请输入有效的电子邮箱地址" in bad.content.decode()
    assert not Subscription.objects.exists()


def test_asking_again_does_not_reveal_an_active_subscription(
    world, django_capture_on_commit_callbacks
):
    sub = _active("me@example.cn", "search", {"q": "低保"})
    mail.outbox.clear()
    response = _subscribe(
        Client(),
        django_capture_on_commit_callbacks,
        source="search",
        q="低保",
        email="me@example.cn",
        frequency="instant",
    )
    assert response.status_code == 200
    assert mail.outbox == []
    sub.refresh_from_db()
    assert sub.frequency == Frequency.DAILY  # a stranger cannot change it


def test_a_guide_followed_alone_alerts_on_its_own_republish_only(
    world, django_capture_on_commit_callbacks
):
    from tests.services.factories import add_guide, add_service_index

    bsfw = add_service_index(world["home"])
    guide = add_guide(bsfw, organisation=world["tree"]["district_a"], title="结婚登记")
    other = add_guide(bsfw, organisation=world["tree"]["district_a"], title="离婚登记")
    sub = _active("g@example.cn", "page", {"page": guide.pk}, frequency=Frequency.INSTANT)
    Subscription.objects.filter(pk=sub.pk).update(cursor=AlertChange.objects.latest("pk").pk)
    assert "结婚登记" in sub.description
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        other.save_revision().publish()
    assert mail.outbox == []
    guide.consult_phone = "021-12345678"
    with django_capture_on_commit_callbacks(execute=True):
        guide.save_revision().publish()
    assert len(mail.outbox) == 1
    assert "【已更新】结婚登记" in mail.outbox[0].body
    assert guide.url in mail.outbox[0].body
    page = Client().get(guide.url)
    assert f"/dy/?source=page&amp;page={guide.pk}" in page.content.decode()
