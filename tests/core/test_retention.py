"""The nightly prune deletes what areas keep only for a while, after the days their
setting gives, and nothing still in use: unfinished webhook deliveries, newer rows."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from amity.collaboration.models import Digest, Notification
from amity.core.jobs import SCHEDULES
from amity.core.retention import prune_expired
from amity.integrations.models import (
    DeliveryStatus,
    RecordedSms,
    WebhookAttempt,
    WebhookDelivery,
)
from tests.conftest import signed_in


def aged(queryset, field: str, days: int) -> None:
    queryset.update(**{field: timezone.now() - dt.timedelta(days=days)})


def delivery(status: str, days: int) -> WebhookDelivery:
    made = WebhookDelivery.objects.create(kind="contact.created", body="{}", status=status,
                                          url="https://example.com/hook")
    WebhookAttempt.objects.create(delivery=made, number=1, started_at=timezone.now())
    aged(WebhookDelivery.objects.filter(pk=made.pk), "created_at", days)
    return made


def test_old_rows_go_and_everything_still_needed_stays(org, settings):
    settings.NOTIFICATION_RETENTION_DAYS = 90
    old_note, new_note = (Notification.objects.create(recipient=org.owner, kind="mention",
                                                      title=title)
                          for title in ("เก่า", "ใหม่"))
    aged(Notification.objects.filter(pk=old_note.pk), "created_at", 91)
    aged(Notification.objects.filter(pk=new_note.pk), "created_at", 89)
    digest = Digest.objects.create(user=org.owner, period=dt.date(2026, 1, 1))
    aged(Digest.objects.filter(pk=digest.pk), "created_at", 91)
    gone = delivery(DeliveryStatus.DELIVERED, 31)
    given_up = delivery(DeliveryStatus.FAILED, 31)
    still_tried = delivery(DeliveryStatus.RETRYING, 31)
    recent = delivery(DeliveryStatus.DELIVERED, 29)
    for n, days in ((1, 31), (2, 1)):
        RecordedSms.objects.create(to="+66812345678", body="สวัสดี", reference=f"r{n}",
                                   provider_id=f"p{n}")
        aged(RecordedSms.objects.filter(reference=f"r{n}"), "recorded_at", days)

    deleted = prune_expired()

    assert {name: n for name, n in deleted.items() if n} == {
        "notifications": 1, "notification digests": 1,
        "webhook deliveries, once delivered or failed": 2,
        "text messages recorded by the development backend": 1}
    assert list(Notification.objects.all()) == [new_note] and not Digest.objects.exists()
    assert set(WebhookDelivery.objects.all()) == {still_tried, recent}
    assert not WebhookAttempt.objects.filter(delivery__in=[gone.pk, given_up.pk]).exists()
    assert list(RecordedSms.objects.values_list("reference", flat=True)) == ["r2"]
    assert set(prune_expired().values()) == {0}  # a second run has nothing left to do


def test_a_longer_setting_keeps_rows_longer(org, settings):
    settings.NOTIFICATION_RETENTION_DAYS = 365
    note = Notification.objects.create(recipient=org.owner, kind="mention", title="x")
    aged(Notification.objects.filter(pk=note.pk), "created_at", 200)
    assert prune_expired()["notifications"] == 0
    settings.NOTIFICATION_RETENTION_DAYS = 180
    assert prune_expired()["notifications"] == 1


def test_the_prune_is_a_periodic_job_shown_with_what_it_deletes(org):
    assert "prune-expired-records" in SCHEDULES
    page = signed_in(org.admin).get(reverse("job_list")).content.decode()
    section = page.split('class="panel wide jobs-retention"')[1]
    assert "prune-expired-records" in page and "AMITY_NOTIFICATION_RETENTION_DAYS" in section
    assert "webhook deliveries, once delivered or failed" in section and "180" in section
