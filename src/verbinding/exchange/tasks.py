"""Background work of the exchange: one matching round (django-tasks; `manage.py db_worker`
works it off in production, pytest runs it at once)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_exchange_round(round_id: int) -> int:
    from verbinding.exchange.services import run_round

    return run_round(round_id).pk
