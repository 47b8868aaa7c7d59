"""Background work of the insights app (django-tasks: the database backend and `db_worker` in
production and the demo, run at once under pytest)."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_initiative_task(run_id: int) -> None:
    """Recompute every snapshot of the run's initiative (see services.execute_recompute)."""
    from verbinding.insights.services import execute_recompute

    execute_recompute(run_id)
