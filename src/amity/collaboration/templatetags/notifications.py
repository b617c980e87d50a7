from django import template

from amity.collaboration.views import poll_seconds

register = template.Library()


@register.inclusion_tag("collaboration/_bell.html")
def notification_bell() -> dict:
    """The bell for the header: its count loads with the page and then polls."""
    return {"poll": poll_seconds()}
