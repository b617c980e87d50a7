"""Background tasks of the customers app."""

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """Import a contact file; run again after a crash, it continues from the checkpoint."""
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
