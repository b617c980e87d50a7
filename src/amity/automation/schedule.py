"""Time-based rules, evaluated by a periodic job: N days after (or before) a date field,
and "nothing happened for N days". A rule fires at most once per record per due date
(the run log's key), so running the job again, or late, does no harm."""

import datetime as dt
import logging

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, DateTimeField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.automation.conditions import state_q
from amity.automation.engine import RAN, rule_language, rule_run
from amity.automation.kinds import FieldSpec, kind_field, watched_kind
from amity.automation.models import Rule, RuleRun, Trigger
from amity.events.models import Event

logger = logging.getLogger("amity.automation")
LOOKBACK_DAYS = 7  # a job that did not run for a while catches up on this many days
BATCH = 500  # records per rule per run; the rest wait for the next run


def rules_run_due(now: dt.datetime | None = None) -> int:
    """Run every active time-based rule on the records due now; how many runs."""
    now = now or timezone.now()
    ran = 0
    for rule in Rule.objects.filter(active=True, trigger__in=[Trigger.DATE, Trigger.INACTIVITY]
                                    ).select_related("run_as").order_by("position", "id"):
        try:
            with rule_language(rule):
                run = _run_date_rule if rule.trigger == Trigger.DATE else _run_quiet_rule
                ran += run(rule, now)
        except Exception:  # one broken rule does not stop the others
            logger.exception("Time-based automation rule %s failed", rule.pk)
    return ran


def date_window(rule: Rule, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The due dates the job looks at: the last few days up to today, never before the
    rule was switched on."""
    today = now.date()
    start = today - dt.timedelta(days=LOOKBACK_DAYS)
    if rule.active_since:
        start = max(start, rule.active_since.date())
    return start, today


def date_q(spec: FieldSpec, first: dt.date, last: dt.date) -> Q:
    """Records whose date field lies between `first` and `last` (inclusive)."""
    if spec.custom_key:
        text = Cast(KT(f"custom__{spec.custom_key}"), CharField())
        return Q(GreaterThanOrEqual(text, first.isoformat())) & Q(
            LessThanOrEqual(text, last.isoformat()))
    name = f"{spec.name}__date" if spec.is_datetime else spec.name
    return Q(**{f"{name}__range": (first, last)})


def due_date_records(rule: Rule, now: dt.datetime) -> tuple[FieldSpec | None, QuerySet]:
    """The records whose due date (the field's date plus the offset) is in the window and
    that match the conditions, without those already run for it."""
    model = watched_kind(rule.record_kind).model
    spec = kind_field(rule.record_kind, rule.date_field)
    if spec is None:
        return None, model.objects.none()
    start, today = date_window(rule, now)
    if start > today:
        return spec, model.objects.none()
    shift = dt.timedelta(days=rule.offset_days)
    done = RuleRun.objects.filter(rule=rule, subject_type=ContentType.objects.get_for_model(model),
                                  subject_id=OuterRef("pk"), key__gte=f"date:{start}",
                                  key__lt="date;")  # date keys only (";" follows ":")
    records = model.objects.filter(date_q(spec, start - shift, today - shift)).filter(
        state_q(rule.record_kind, rule.conditions)).filter(~Exists(done))
    return spec, records.order_by("pk")


def _field_date(spec: FieldSpec, record) -> dt.date | None:
    value = (record.custom or {}).get(spec.custom_key) if spec.custom_key else \
        getattr(record, spec.name)
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date()
    return value


def _run_date_rule(rule: Rule, now: dt.datetime) -> int:
    spec, records = due_date_records(rule, now)
    ran = 0
    for record in records[:BATCH]:
        due = _field_date(spec, record) + dt.timedelta(days=rule.offset_days)
        trigger = _("Due: %(date)s") % {"date": due.isoformat()}
        ran += rule_run(rule, record, key=f"date:{due.isoformat()}", trigger=trigger,
                        check=False) is not None
    return ran


def quiet_records(rule: Rule, now: dt.datetime) -> QuerySet:
    """Records with no event (other than rule runs) for the rule's days, matching the
    conditions, that the rule has not run on since their last event."""
    model = watched_kind(rule.record_kind).model
    content_type = ContentType.objects.get_for_model(model)
    last_event = Subquery(
        Event.objects.filter(subject_type=content_type, subject_id=OuterRef("pk"))
        .exclude(kind=RAN).order_by("-occurred_at").values("occurred_at")[:1],
        output_field=DateTimeField())
    ran_since = RuleRun.objects.filter(rule=rule, subject_type=content_type,
                                       subject_id=OuterRef("pk"),
                                       started_at__gte=OuterRef("last_activity"))
    return (model.objects.annotate(last_activity=Coalesce(last_event, "created_at"))
            .filter(last_activity__lt=now - dt.timedelta(days=rule.quiet_days or 0))
            .filter(state_q(rule.record_kind, rule.conditions)).filter(~Exists(ran_since))
            .order_by("pk"))


def _run_quiet_rule(rule: Rule, now: dt.datetime) -> int:
    ran = 0
    for record in quiet_records(rule, now)[:BATCH]:
        since = record.last_activity.date().isoformat()
        trigger = _("Nothing happened since %(date)s") % {"date": since}
        ran += rule_run(rule, record, key=f"quiet:{since}", trigger=trigger,
                        check=False) is not None
    return ran
