from django import template

from amity.sales.lead_services import qualification_state

register = template.Library()


@register.simple_tag
def lead_qualification(lead):
    """What the qualification panel shows: moves, the checklist, what blocks qualifying."""
    return qualification_state(lead)
