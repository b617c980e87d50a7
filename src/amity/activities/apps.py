from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "amity.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from amity.activities import tasks  # noqa: F401  (declares the periodic job)
        from amity.activities.models import Task
        from amity.customers.merge_related import Related, register_merge_related
        from amity.customers.models import Account, Contact

        # A merged customer's tasks, and the meetings a merged contact takes part in, go
        # to the survivor (and back on undo); a meeting both were in keeps the survivor.
        register_merge_related(Contact, Related("tasks", Task, "contact"))
        register_merge_related(Account, Related("tasks", Task, "account"))
        register_merge_related(Contact, Related(
            "participations", Task.participant_contacts.through, "contact", key=("task_id",)))
