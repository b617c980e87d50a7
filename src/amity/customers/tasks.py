"""Background tasks of the customers app."""

from django_tasks import task

from amity.core.jobs import durable_task


def import_gave_up(job_id: int) -> None:
    """An import task is dead: its job is failed (contact and lead imports alike)."""
    from amity.customers.imports.runner import job_gave_up

    job_gave_up(job_id)


@durable_task(max_attempts=5, on_dead=import_gave_up)
def run_import_job(job_id: int) -> str:
    """Import a contact file; a failed or lost try is tried again and continues from the
    checkpoint."""
    # Imported here: every process imports each app's tasks module at start-up (core
    # autodiscovers them), and the import machinery (openpyxl...) is slow to load.
    from amity.customers.imports.runner import import_run

    return import_run(job_id).status


@task()
def find_duplicates(user_id: int) -> int:
    """Fill the duplicate review queue from the contacts the user sees."""
    from amity.customers.duplicates import duplicates_refresh
    from amity.org.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    return duplicates_refresh(user=user) if user is not None else 0
