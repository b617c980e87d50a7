"""Background tasks of the customers app."""

from django_tasks import task

from amity.customers.imports.runner import import_run


@task()
def run_import_job(job_id: int) -> str:
    """Import a contact file; run again after a crash, it continues from the checkpoint."""
    return import_run(job_id).status
