from django import template

from amity.activities.forms import QuickTaskForm
from amity.activities.selectors import open_tasks_about

register = template.Library()


@register.simple_tag(takes_context=True)
def record_open_tasks(context, record):
    """The open tasks about `record` that the signed-in user may see (the panel's rows)."""
    if "open_tasks" in context:
        return context["open_tasks"]
    return open_tasks_about(record=record, user=context["request"].user)


@register.simple_tag(takes_context=True)
def quick_task_form(context):
    return context.get("quick_form") or QuickTaskForm()
