"""Sequences: a record enrolled by a rule goes through the steps; after each "wait" a
durable task scheduled with run_after takes it on. It stops when the record is deleted
or no longer matches the rule that enrolled it."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amity.automation.engine import rule_language, rule_matches, rule_run
from amity.automation.models import Enrollment, EnrollmentStatus, Rule, Sequence

UNITS = {"hours": dt.timedelta(hours=1), "days": dt.timedelta(days=1)}


def enroll(*, sequence: Sequence, record: models.Model, rule: Rule | None,
           chain: tuple[int, ...] | list[int] = ()) -> tuple[Enrollment, bool]:
    """Put the record in the sequence (once at a time); (enrollment, whether it is new).
    The first steps run from a task enqueued in the caller's transaction."""
    from amity.automation.tasks import advance_enrollment

    subject = {"sequence": sequence, "subject_type": ContentType.objects.get_for_model(record),
               "subject_id": record.pk}
    existing = Enrollment.objects.filter(**subject, status=EnrollmentStatus.ACTIVE).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(**subject, rule=rule, chain=list(chain),
                                                   next_run_at=timezone.now())
    except IntegrityError:
        return Enrollment.objects.get(**subject, status=EnrollmentStatus.ACTIVE), False
    advance_enrollment.enqueue(enrollment.pk, 0)
    return enrollment, True


def sequence_advance(enrollment_id: int, position: int) -> str:
    """Run the enrollment's steps from `position` up to the next wait, then schedule the
    rest; the enrollment's status. A stale or repeated call does nothing."""
    from amity.automation.tasks import advance_enrollment

    with transaction.atomic():
        enrollment = (Enrollment.objects.select_for_update(of=("self",))
                      .select_related("sequence", "rule__run_as")
                      .filter(pk=enrollment_id).first())
        if enrollment is None or enrollment.status != EnrollmentStatus.ACTIVE \
                or enrollment.position != position:
            return enrollment.status if enrollment else "missing"
        record = _record(enrollment)
        rule = enrollment.rule
        if record is None:
            return _stop(enrollment, EnrollmentStatus.STOPPED, _("The record was deleted."))
        if rule is None:
            return _stop(enrollment, EnrollmentStatus.STOPPED, _("The rule was deleted."))
        if not rule_matches(rule, record, state_only=True):
            return _stop(enrollment, EnrollmentStatus.STOPPED,
                         _("The record no longer matches the rule."))
        steps = enrollment.sequence.steps
        end = position
        while end < len(steps) and steps[end].get("type") != "wait":
            end += 1
        if end > position:
            with rule_language(rule):
                run = rule_run(rule, record, key=f"sequence:{enrollment.pk}:{position}",
                               trigger=_("Sequence %(name)s, step %(n)s") % {
                                   "name": enrollment.sequence.name, "n": position + 1},
                               actions=steps[position:end], check=False,
                               chain=enrollment.chain, enrollment=enrollment)
            if run is not None and run.status == "failed":
                return _stop(enrollment, EnrollmentStatus.FAILED, run.error[:200])
        if end >= len(steps):
            enrollment.position = len(steps)
            return _stop(enrollment, EnrollmentStatus.FINISHED, "")
        wait = steps[end]
        enrollment.position = end + 1
        enrollment.next_run_at = timezone.now() + int(wait["amount"]) * UNITS[wait["unit"]]
        enrollment.save(update_fields=["position", "next_run_at", "updated_at"])
        advance_enrollment.using(run_after=enrollment.next_run_at).enqueue(
            enrollment.pk, enrollment.position)
        return enrollment.status


def _record(enrollment: Enrollment):
    model = enrollment.subject_type.model_class()
    return model.objects.filter(pk=enrollment.subject_id).first() if model else None


def _stop(enrollment: Enrollment, status: str, reason: str) -> str:
    enrollment.status, enrollment.reason, enrollment.next_run_at = status, reason, None
    enrollment.save(update_fields=["status", "reason", "next_run_at", "position", "updated_at"])
    return status
