"""Background jobs of team formation (django-tasks: the database backend and `db_worker` in
production and the demo, run at once under pytest)."""

from __future__ import annotations

from django_tasks import task


@task()
def form_teams_task(run_id: int) -> None:
    from verbinding.matching.services import execute_run

    execute_run(run_id)
