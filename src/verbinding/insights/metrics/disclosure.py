"""Statistical disclosure control for every number that leaves the metrics core.

What belongs here: the rules of research note §4.7 and target 8–10 of §5, as pure
functions on counts of *distinct persons*. Nothing here knows about Django; the
dashboards, partner views, CSV and PDF exports call these before rendering.

* Inside the initiative (coordinator dashboards): group splits need >= 5 persons.
* Outside (partner view, exports, reports): every published count rests on >= 10
  persons, zero counts included; a cell is also suppressed when its complement in
  a row or column (line total − cell) is below 10, because "all 9 newcomers dropped
  out" discloses an attribute; secondary suppression makes sure no suppressed cell
  can be recomputed from the published cells and totals; published counts are
  rounded to base 5, totals rounded independently from unrounded data.
* Network metrics (E-I, r, IH, durable-tie shares) outside only with >= 20 labelled
  persons and >= 10 per group.

Why secondary suppression is a graph search: with the margins written as an extra
row and column, every cell sits in exactly one row and one column equation, so the
suppressed cells are the edges of a bipartite graph between lines. A suppressed
value can move (is not recomputable) exactly when it lies on a cycle of suppressed
cells along which the cells that would decrease are positive (non-negativity is
what an attacker also knows: two suppressed zeros summing to 0 are not protected).
That condition is a reachability question in a small directed graph; the tests
check it independently with linear programming.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum

import numpy as np


class Audience(Enum):
    INSIDE = "inside"  # coordinators of the initiative itself
    OUTSIDE = "outside"  # partners, funders, municipality, exports, public pages


@dataclass(frozen=True)
class DisclosureRules:
    min_persons: int
    suppress_zeros: bool
    complement: bool
    secondary: bool
    rounding_base: int
    network_min_labelled: int
    network_min_per_group: int


RULES = {
    Audience.INSIDE: DisclosureRules(
        min_persons=5,
        suppress_zeros=False,
        complement=False,
        secondary=True,
        rounding_base=1,
        network_min_labelled=10,
        network_min_per_group=5,
    ),
    Audience.OUTSIDE: DisclosureRules(
        min_persons=10,
        suppress_zeros=True,
        complement=True,
        secondary=True,
        rounding_base=5,
        network_min_labelled=20,
        network_min_per_group=10,
    ),
}


def round_to_base(x: np.ndarray | int, base: int) -> np.ndarray:
    """Round half up to a multiple of ``base`` (12 -> 10, 13 -> 15 for base 5)."""
    a = np.asarray(x, dtype=np.int64)
    if base <= 1:
        return a
    return ((a + base // 2) // base) * base


def _too_small(n: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    n = np.asarray(n)
    small = n < rules.min_persons
    if not rules.suppress_zeros:
        small &= n != 0
    return small


def protect_count(n: int, audience: Audience) -> int | None:
    """A single count of distinct persons: rounded, or None when suppressed."""
    rules = RULES[audience]
    if _too_small(np.asarray([n]), rules)[0]:
        return None
    return int(round_to_base(n, rules.rounding_base))


def protect_share(numerator: int, denominator: int, audience: Audience) -> float | None:
    """A share of persons (e.g. "% of newcomers with a durable cross-group tie").

    Published only if the denominator, the numerator and (outside) its complement
    all rest on enough persons; computed from the unrounded counts.
    """
    rules = RULES[audience]
    parts = [denominator, numerator]
    if rules.complement:
        parts.append(denominator - numerator)
    if denominator <= 0 or _too_small(np.asarray(parts), rules).any():
        return None
    if rules.suppress_zeros and numerator == 0:
        return None
    return numerator / denominator


def network_metrics_publishable(n_by_group: tuple[int, ...], audience: Audience) -> bool:
    """E-I, r, IH and durable-tie shares need enough labelled persons in the network."""
    rules = RULES[audience]
    return sum(n_by_group) >= rules.network_min_labelled and all(
        n >= rules.network_min_per_group for n in n_by_group
    )


@dataclass(frozen=True, eq=False)
class ProtectedTable:
    """A table of person counts after disclosure control.

    ``published`` is the (R + 1, C + 1) table with margins (last row: column totals,
    last column: row totals, corner: grand total), rounded, as floats with NaN where
    suppressed. ``primary`` and ``suppressed`` are boolean masks of the same shape.
    """

    published: np.ndarray
    primary: np.ndarray
    suppressed: np.ndarray

    @property
    def cells(self) -> np.ndarray:
        return self.published[:-1, :-1]

    @property
    def row_totals(self) -> np.ndarray:
        return self.published[:-1, -1]

    @property
    def column_totals(self) -> np.ndarray:
        return self.published[-1, :-1]

    @property
    def grand_total(self) -> float:
        return float(self.published[-1, -1])


def with_margins(counts: np.ndarray) -> np.ndarray:
    """The (R + 1, C + 1) table with row totals, column totals and the grand total."""
    counts = np.asarray(counts, dtype=np.int64)
    r, c = counts.shape
    full = np.zeros((r + 1, c + 1), dtype=np.int64)
    full[:r, :c] = counts
    full[:r, c] = counts.sum(axis=1)
    full[r, :c] = counts.sum(axis=0)
    full[r, c] = counts.sum()
    return full


def primary_suppression(full: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    """Cells that are sensitive by themselves: too few persons, or a small complement.

    Each cell is compared with the total of its row and of its column (for margins:
    the grand total). A line with a single inner cell has no complement to protect:
    its cell *is* the line total.
    """
    rr, cc = full.shape
    mask = _too_small(full, rules)
    if rules.complement:
        row_tot = full[:, -1:]
        col_tot = full[-1:, :]
        if cc > 2:  # more than one inner column: a row split exists
            comp_row = row_tot - full
            comp_row[:, -1] = np.iinfo(np.int64).max  # the total is not its own complement
            mask |= comp_row < rules.min_persons
        if rr > 2:
            comp_col = col_tot - full
            comp_col[-1, :] = np.iinfo(np.int64).max
            mask |= comp_col < rules.min_persons
    return mask


def _can_move(full: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: may its (sign-normalised) value increase / decrease without going < 0?

    Cells in the margin row or margin column (but not the corner) enter their
    equations with the opposite sign; with y = −x for them every equation becomes a
    plain sum, and y <= 0 means y can always decrease and can increase only if x > 0.
    """
    rr, cc = full.shape
    flipped = np.zeros((rr, cc), dtype=bool)
    flipped[-1, :] = True
    flipped[:, -1] ^= True  # corner flipped twice -> not flipped
    positive = full > 0
    can_plus = np.where(flipped, positive, True)
    can_minus = np.where(flipped, True, positive)
    return can_plus, can_minus


def _reach(start: int, adj: list[list[int]], skip: tuple[int, int] | None = None) -> np.ndarray:
    seen = np.zeros(len(adj), dtype=bool)
    seen[start] = True
    todo = deque([start])
    while todo:
        a = todo.popleft()
        for b in adj[a]:
            if skip is not None and (a, b) == skip:
                continue
            if not seen[b]:
                seen[b] = True
                todo.append(b)
    return seen


def exposed_cells(full: np.ndarray, suppressed: np.ndarray) -> list[tuple[int, int]]:
    """Suppressed cells whose exact value follows from the published ones.

    Vertices 0..R are rows, R+1..R+C+1 columns (margins included). A suppressed cell
    (i, j) gives the arc row -> column if it can increase and column -> row if it
    can decrease. Cell e = (r, c) can increase iff column c reaches row r without e,
    and decrease iff row r reaches column c without e.
    """
    rr, cc = full.shape
    can_plus, can_minus = _can_move(full)
    adj: list[list[int]] = [[] for _ in range(rr + cc)]
    for i, j in zip(*np.nonzero(suppressed), strict=True):
        if can_plus[i, j]:
            adj[i].append(rr + j)
        if can_minus[i, j]:
            adj[rr + j].append(i)
    out = []
    for i, j in zip(*np.nonzero(suppressed), strict=True):
        row, col = int(i), rr + int(j)
        up = can_plus[i, j] and _reach(col, adj, skip=(col, row))[row]
        down = can_minus[i, j] and _reach(row, adj, skip=(row, col))[col]
        if not (up or down):
            out.append((int(i), int(j)))
    return out


def _cheapest_fix(
    full: np.ndarray, suppressed: np.ndarray, cell: tuple[int, int]
) -> tuple[int, int]:
    """A published cell whose suppression gives ``cell`` a way to move.

    Prefers cells that directly close a cycle, then small values, then inner cells
    over totals (totals carry the most information for readers).
    """
    rr, cc = full.shape
    can_plus, can_minus = _can_move(full)
    adj: list[list[int]] = [[] for _ in range(rr + cc)]
    for i, j in zip(*np.nonzero(suppressed), strict=True):
        if can_plus[i, j]:
            adj[i].append(rr + j)
        if can_minus[i, j]:
            adj[rr + j].append(i)
    r, c = cell
    row, col = r, rr + c
    rev: list[list[int]] = [[] for _ in range(rr + cc)]
    for a, targets in enumerate(adj):
        for b in targets:
            if (a, b) not in ((row, col), (col, row)):
                rev[b].append(a)
    best: tuple[float, int, int] | None = None
    directions = []
    if can_plus[r, c]:  # need a path col -> row
        directions.append((_reach(col, adj, skip=(col, row)), _reach(row, rev)))
    if can_minus[r, c]:  # need a path row -> col
        directions.append((_reach(row, adj, skip=(row, col)), _reach(col, rev)))
    margin_penalty = float(full.max() + 1)
    for i, j in zip(*np.nonzero(~suppressed), strict=True):
        fits = False
        for from_start, to_end in directions:
            # Arc row_i -> col_j (can_plus) or col_j -> row_i (can_minus) bridging
            # the part reachable from the start to the part that reaches the end.
            if can_plus[i, j] and from_start[i] and to_end[rr + j]:
                fits = True
            if can_minus[i, j] and from_start[rr + j] and to_end[i]:
                fits = True
        cost = float(full[i, j])
        if i == rr - 1 or j == cc - 1:
            cost += margin_penalty
        if not fits:
            cost += 10 * margin_penalty
        if best is None or cost < best[0]:
            best = (cost, int(i), int(j))
    if best is None:  # everything is suppressed already; nothing left to add
        raise RuntimeError("no cell left to suppress")
    return best[1], best[2]


def secondary_suppression(full: np.ndarray, primary: np.ndarray) -> np.ndarray:
    """Add suppressions until no suppressed cell can be recomputed (see module doc)."""
    suppressed = primary.copy()
    while True:
        exposed = exposed_cells(full, suppressed)
        if not exposed:
            return suppressed
        i, j = _cheapest_fix(full, suppressed, exposed[0])
        suppressed[i, j] = True


def protect_table(counts: np.ndarray, audience: Audience) -> ProtectedTable:
    """Apply the audience's rules to a table of distinct-person counts.

    Rows and columns must be fixed categories and fixed periods (research note §4.7
    rule 4): the same rules on the same layout give the same suppression pattern.
    """
    rules = RULES[audience]
    counts = np.asarray(counts, dtype=np.int64)
    if counts.ndim != 2 or np.any(counts < 0):
        raise ValueError("counts must be a 2-D table of non-negative person counts")
    full = with_margins(counts)
    primary = primary_suppression(full, rules)
    suppressed = secondary_suppression(full, primary) if rules.secondary else primary
    # Totals come from unrounded data and are rounded on their own (§4.7 rule 3).
    published = round_to_base(full, rules.rounding_base).astype(np.float64)
    published[suppressed] = np.nan
    return ProtectedTable(published=published, primary=primary, suppressed=suppressed)
