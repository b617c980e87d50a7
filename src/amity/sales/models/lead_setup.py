"""What an administrator sets up for leads: the web-to-lead forms Amity serves and the
qualification checklist."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Lead fields a web form may ask for; family_name is always asked (a lead needs it).
FORM_FIELDS = ("given_name", "family_name", "company", "job_title", "email", "phone",
               "country", "region", "postcode", "industry", "employees",
               "product_interest", "description")


def new_form_token() -> str:
    return secrets.token_urlsafe(16)


class LeadForm(models.Model):
    """A web-to-lead form: posted to /f/<token> from Amity's own page or another site."""

    name = models.CharField(_("name"), max_length=100)
    token = models.CharField(max_length=40, unique=True, default=new_form_token,
                             editable=False)
    fields = models.JSONField(_("fields"), default=list,
                              help_text=_("The lead fields the form asks for."))
    required = models.JSONField(_("required fields"), default=list, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner of new leads"),
                              on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("org.Team", verbose_name=_("team of new leads"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("lead source"), max_length=100, blank=True,
                              help_text=_("Written on each lead, e.g. Website; the form's "
                                          "name if blank."))
    thank_you = models.TextField(_("thank-you text"), max_length=2000, blank=True)
    # One origin per line (https://www.example.com): the sites whose pages may post to
    # the form from script (CORS) and show it in a frame.
    allowed_origins = models.TextField(_("allowed origins"), blank=True, max_length=4000)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("lead form")
        verbose_name_plural = _("lead forms")

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.splitlines()
                if line.strip()]

    def clean(self) -> None:
        fields = [f for f in self.fields or [] if f]
        unknown = sorted(set(fields) - set(FORM_FIELDS))
        if unknown or not isinstance(self.fields, list):
            raise ValidationError({"fields": _("Unknown fields: %(names)s.")
                                   % {"names": ", ".join(map(str, unknown))}})
        # In the lead's own order, so given name comes before family name.
        self.fields = fields = [f for f in FORM_FIELDS if f in {*fields, "family_name"}]
        self.required = sorted({"family_name", *[f for f in self.required if f in fields]})
        bad = [o for o in self.origins if not o.startswith(("https://", "http://"))
               or " " in o or "/" in o.split("://", 1)[1]]
        if bad:
            raise ValidationError({"allowed_origins": _(
                "Write one origin per line, such as https://www.example.com (no path): "
                "%(origins)s") % {"origins": ", ".join(bad)}})


class QualificationItem(models.Model):
    """One point of the qualification checklist (budget, authority, need, timeline…)."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    label = models.CharField(_("label"), max_length=100)
    required = models.BooleanField(_("required to qualify"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("qualification item")
        verbose_name_plural = _("qualification items")

    def __str__(self) -> str:
        return self.label
