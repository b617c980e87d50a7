import datetime as dt

from babel.dates import format_timedelta
from django import template

from amity.core.calendars import PERSIAN_DIGITS, babel_locale
from amity.sales.models import Opportunity
from amity.sales.money_display import format_money
from amity.sales.stage_history import stage_stays

register = template.Library()
RELATED_SHOWN = 20


@register.filter
def money(amount, currency: str) -> str:
    return format_money(amount, currency)


@register.filter
def duration(seconds: int | None) -> str:
    """A length of time in the user's language, rounded as people say it ("3 days")."""
    if seconds is None:
        return ""
    locale = babel_locale()
    text = format_timedelta(dt.timedelta(seconds=seconds), locale=locale, threshold=1.5)
    return text.translate(PERSIAN_DIGITS) if locale == "fa" else text


@register.simple_tag
def stage_path(record: Opportunity) -> list:
    """The pipeline's stages in order (the record page's path)."""
    return list(record.pipeline.stages.order_by("position", "id"))


@register.simple_tag
def stage_history(record: Opportunity) -> list:
    return stage_stays(record)


@register.simple_tag(takes_context=True)
def related_opportunities(context, record) -> dict:
    """The opportunities of an account or contact that the user may see, open first."""
    user = context["request"].user
    key = "account" if record._meta.model_name == "account" else "contact"
    rows = (Opportunity.objects.visible_to(user).filter(**{key: record})
            .select_related("stage").order_by("-status", "close_date", "-id"))
    return {"rows": list(rows[:RELATED_SHOWN]), "key": key}
