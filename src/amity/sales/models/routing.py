"""Lead routing: the assignment rules an administrator orders (first match wins), each
rule's round-robin cursor, the route a lead took, and the lead scoring model."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentRule(models.Model):
    """Which leads a rule takes (territory, product interest, score range: every criterion
    given must hold) and who gets them (round-robin among users or a team's members)."""

    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # Criteria; an empty one matches every lead.
    countries = models.JSONField(_("countries"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    postcode_prefixes = models.JSONField(_("postcode prefixes"), default=list, blank=True)
    postcode_from = models.CharField(_("postcodes from"), max_length=20, blank=True)
    postcode_to = models.CharField(_("postcodes to"), max_length=20, blank=True)
    product_interests = models.JSONField(_("product interests"), default=list, blank=True)
    score_min = models.IntegerField(_("score at least"), null=True, blank=True)
    score_max = models.IntegerField(_("score at most"), null=True, blank=True)
    # Who gets the leads: the chosen users, else the members of the team.
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("users"),
                                   blank=True, related_name="+")
    team = models.ForeignKey("org.Team", verbose_name=_("team"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    # Working hours in each user's own time zone; days 0 = Monday … 6 = Sunday.
    work_days = models.JSONField(_("working days"), default=list, blank=True)
    work_start = models.TimeField(_("working hours from"), null=True, blank=True)
    work_end = models.TimeField(_("working hours until"), null=True, blank=True)
    max_open_leads = models.PositiveIntegerField(_("open leads per user at most"),
                                                 null=True, blank=True)
    # Where a lead goes when no one is available.
    queue_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("queue user"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    queue_team = models.ForeignKey("org.Team", verbose_name=_("queue team"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    reassign_after_hours = models.PositiveIntegerField(
        _("re-assign when not worked for (hours)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class RuleCursor(models.Model):
    """A rule's round-robin position: locked (SELECT … FOR UPDATE) while one lead is
    assigned, so concurrent assignments take turns instead of picking the same user."""

    rule = models.OneToOneField(AssignmentRule, primary_key=True, on_delete=models.CASCADE,
                                related_name="cursor")
    last_user_id = models.BigIntegerField(null=True)
    assigned = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.last_user_id}"


class LeadRoute(models.Model):
    """The rule that last assigned a lead and when: the clock of re-assignment."""

    lead = models.OneToOneField("sales.Lead", primary_key=True, on_delete=models.CASCADE,
                                related_name="route")
    rule = models.ForeignKey(AssignmentRule, null=True, on_delete=models.SET_NULL,
                             related_name="routes")
    assigned_at = models.DateTimeField()
    reassignments = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["rule", "assigned_at"], name="lead_route_due")]

    def __str__(self) -> str:
        return f"{self.lead_id} ← {self.rule_id}"


class ScoringModel(models.Model):
    """The organisation's lead scoring model (one row): weighted field criteria,
    behaviour points from the event stream with a half-life, and grade thresholds."""

    key = models.CharField(max_length=20, unique=True, default="default", editable=False)
    active = models.BooleanField(_("active"), default=True)
    # [{"field": "industry", "op": "equals", "value": "Software", "points": 10}, …]
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    # [{"event_kind": "email.opened", "points": 5, "half_life_days": 7, "cap": 30}, …]
    behaviours = models.JSONField(_("behaviour"), default=list, blank=True)
    # [{"grade": "A", "min": 80}, {"grade": "B", "min": 50}], highest first.
    grades = models.JSONField(_("grades"), default=list, blank=True)
    ready_grade = models.CharField(_("ready for sales from grade"), max_length=20, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lead scoring model")
        verbose_name_plural = _("lead scoring models")

    def __str__(self) -> str:
        return str(_("Lead scoring model"))
