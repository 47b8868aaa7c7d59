"""One call that computes every connection metric for one initiative and period.

What belongs here: `compute_all`, which shares the tie graph between the tie and
durability metrics (it is the expensive step), and the `ConnectionMetrics` bundle
a snapshot stores. Disclosure control is *not* applied here: it depends on who
looks (inside or outside the initiative), see `disclosure.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .data import Dataset, MetricParams
from .durable import DurableMetrics, durable_metrics
from .investment import InvestmentMetrics, investment_metrics
from .mix import MixResult, session_mix
from .reach import MonthlyReach, monthly_reach
from .retention import RetentionMetrics, retention_metrics
from .ties import TieMetrics, build_tie_graph, tie_metrics


@dataclass(frozen=True)
class ConnectionMetrics:
    params: MetricParams
    reach: MonthlyReach
    mix: MixResult
    ties: TieMetrics
    durable: DurableMetrics
    retention: RetentionMetrics
    investment: InvestmentMetrics


def compute_all(ds: Dataset, params: MetricParams | None = None) -> ConnectionMetrics:
    params = params or MetricParams()
    graph = build_tie_graph(ds, params)
    return ConnectionMetrics(
        params=params,
        reach=monthly_reach(ds),
        mix=session_mix(ds, params),
        ties=tie_metrics(ds, params, graph),
        durable=durable_metrics(ds, params, graph),
        retention=retention_metrics(ds, params),
        investment=investment_metrics(ds),
    )
