"""The sending side: a fixed number of queries whatever the number of subscriptions, failures
retried by the next run, addresses masked in the logs, the daily command."""

import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.alerts import actions
from portal.alerts.models import Frequency, Subscription, SubscriptionStatus
from tests.disclosure.factories import TopicFactory, add_catalogue, add_document
from tests.factories import make_home, org_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    home = make_home()
    return {"home": home, "tree": org_tree(), "xxgk": add_catalogue(home)}


def _subscriptions(n: int, offset: int = 0):
    now = actions.timezone.now()
    rows = []
    for i in range(offset, offset + n):
        source, params = [
            ("xxgk", {"topic": "shjz"}),
            ("search", {"q": "救助"}),
            ("page", {"page": 0}),
        ][i % 3]
        rows.append(
            Subscription(
                email=f"u{i}@example.cn",
                source=source,
                params=params,
                key=f"k{i}",
                description="测试",
                frequency=Frequency.DAILY,
                status=SubscriptionStatus.ACTIVE,
                nonce=f"n{i}",
                created_at=now,
            )
        )
    Subscription.objects.bulk_create(rows)


def _dispatch_queries() -> int:
    with CaptureQueriesContext(connection) as ctx:
        actions.alerts_dispatch(frequency=Frequency.DAILY)
    return len(ctx.captured_queries)


def test_dispatch_costs_the_same_for_3_and_90_subscriptions(world):
    topic = TopicFactory(name="社会救助", slug="shjz")
    bureau = world["tree"]["bureau"]
    _subscriptions(3)
    add_document(world["xxgk"], organisation=bureau, topic=topic, title="社会救助通知一")
    _dispatch_queries()  # warms the caches (restricted paths, synonyms)
    Subscription.objects.update(cursor=0)
    mail.outbox.clear()
    small = _dispatch_queries()
    sent_small = len(mail.outbox)
    assert sent_small == 2  # the topic and the search subscriptions; page 0 matches nothing
    _subscriptions(87, offset=3)
    add_document(world["xxgk"], organisation=bureau, topic=topic, title="社会救助通知二")
    mail.outbox.clear()
    large = _dispatch_queries()
    assert len(mail.outbox) == 60
    assert small == large, (small, large)
    assert large <= 12


def test_a_failed_mail_is_sent_by_the_next_run_and_the_log_masks_the_address(
    world, monkeypatch, caplog
):
    topic = TopicFactory(name="社会救助", slug="shjz")
    _subscriptions(1)
    add_document(world["xxgk"], organisation=world["tree"]["bureau"], topic=topic)

    def refuse(self, *args, **kwargs):
        raise OSError("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with caplog.at_level(logging.INFO, logger="portal.alerts"):
        counts = actions.alerts_dispatch(frequency=Frequency.DAILY)
    assert counts["failed"] == 1
    assert "u0@example.cn" not in caplog.text and "u***@example.cn" in caplog.text
    monkeypatch.undo()
    assert actions.alerts_dispatch(frequency=Frequency.DAILY)["sent"] == 1
    assert mail.outbox[0].to == ["u0@example.cn"]


def test_the_daily_command_sends_through_the_task(world):
    topic = TopicFactory(name="社会救助", slug="shjz")
    _subscriptions(1)
    add_document(world["xxgk"], organisation=world["tree"]["bureau"], topic=topic)
    call_command("send_alert_digests", verbosity=0)  # the immediate backend runs the task
    assert len(mail.outbox) == 1
    assert "每日更新汇总" in mail.outbox[0].subject
    call_command("send_alert_digests", "--now", verbosity=0)
    assert len(mail.outbox) == 1


def test_a_document_in_a_private_section_alerts_nobody(world):
    from wagtail.models import PageViewRestriction

    topic = TopicFactory(name="社会救助", slug="shjz")
    private = add_catalogue(world["xxgk"], title="内部栏目", slug="nb")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret-words"
    )
    _subscriptions(3)  # topic, search 救助, page
    add_document(
        private, organisation=world["tree"]["bureau"], topic=topic, title="社会救助内部通知"
    )
    counts = actions.alerts_dispatch(frequency=Frequency.DAILY)
    assert counts["sent"] == 0
    assert mail.outbox == []
    add_document(
        world["xxgk"], organisation=world["tree"]["bureau"], topic=topic, title="社会救助公开通知"
    )
    assert actions.alerts_dispatch(frequency=Frequency.DAILY)["sent"] == 2
    assert all("内部" not in m.body for m in mail.outbox)
