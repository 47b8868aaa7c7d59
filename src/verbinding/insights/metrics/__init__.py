"""Pure connection-metrics core: attendance arrays in, frozen dataclasses out.

What belongs in this package: the computations behind "does social connection
grow?" (research note measurement-and-privacy.md §2 and Appendix A) and the
statistical disclosure control applied before any number leaves the platform
(§4.7). No Django, no database, no I/O: the `insights` app loads attendance into
a `Dataset`, calls `compute_all`, applies `disclosure`, and stores snapshots.
An import-linter contract in pyproject.toml enforces the "no Django" rule.

Modules: `data` (inputs, parameters), `reach`, `mix`, `ties` (projection, E-I,
assortativity, homophily), `durable`, `retention`, `survival`, `investment`,
`summary` (`compute_all`) and `disclosure`.
"""

from .data import PROJECT, REGULAR, UNKNOWN, Dataset, MetricParams
from .summary import ConnectionMetrics, compute_all

__all__ = [
    "PROJECT",
    "REGULAR",
    "UNKNOWN",
    "ConnectionMetrics",
    "Dataset",
    "MetricParams",
    "compute_all",
]
