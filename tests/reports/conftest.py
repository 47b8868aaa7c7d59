"""Synthetic attendance for the reports tests, turned into real snapshot payloads.

`synthetic(...)` builds a pure `Dataset` (integer ids, no database) and `payload_of` runs the
insights app's own `build_payload` on it, so the reports are tested on exactly the JSON that a
recompute stores. `store(...)` writes it as a `Snapshot` row for an initiative and period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pytest

from verbinding.insights.extract import Extract
from verbinding.insights.metrics import Dataset, MetricParams
from verbinding.insights.snapshots import build_payload, period_end

EPOCH = dt.date(1970, 1, 1)
PARAMS = MetricParams(n_permutations=0)


@dataclass(frozen=True)
class Synthetic:
    dataset: Dataset
    payload: dict


def survey_result(counts: list[dict]) -> dict:
    """A `surveys.selectors.period_results`-shaped dict for the first weekly pulse items, with
    `counts[i]` as answers to item i, keyed by the answer's rank (1 = lowest)."""
    from verbinding.surveys.items import PULSE_ITEMS

    items = []
    for item, c in zip(PULSE_ITEMS, counts, strict=False):
        codes = [a.code for a in item.answers]
        per_code = {code: 0 for code in codes}
        for rank, n in c.items():
            code = codes[min(int(rank), len(codes)) - 1]
            per_code[code] += n
        n = sum(per_code.values())
        items.append({
            "code": item.code, "module": item.module, "label": item.label,
            "prompt": item.prompt, "adapted": item.adapted, "source": item.source,
            "answer_codes": codes, "answer_labels": {a.code: a.label for a in item.answers},
            "counts": {**per_code, "rather_not_say": 0},
            "n_offered": n, "n_responses": n, "n_rather_not_say": 0, "n_answered": n,
        })
    return {"items": items, "modules": []}


def synthetic(*, person_group, att_person, att_session, session_day, session_activity,
              activity_kind, guests=None, org_person=None, org_session=None,
              start=dt.date(2026, 1, 1), kind="quarter", surveys=None) -> Synthetic:
    ds = Dataset.build(
        person_group=np.asarray(person_group), att_person=np.asarray(att_person),
        att_session=np.asarray(att_session), session_day=np.asarray(session_day),
        session_activity=np.asarray(session_activity), activity_kind=np.asarray(activity_kind),
        guests=None if guests is None else np.asarray(guests),
        org_person=None if org_person is None else np.asarray(org_person),
        org_session=None if org_session is None else np.asarray(org_session),
    )
    kinds = {0: "regular", 1: "project"}
    activities = [{"title": {"nl": f"Activiteit {a}", "en": f"Activity {a}"},
                   "kind": kinds[int(k)], "format": 0} for a, k in enumerate(activity_kind)]
    dates = [EPOCH + dt.timedelta(days=int(d)) for d in ds.session_day]
    ex = Extract(dataset=ds, activities=activities, session_date=dates)
    payload = build_payload(ex, kind, start, period_end(kind, start), PARAMS, surveys or {})
    return Synthetic(dataset=ds, payload=payload)


def random_synthetic(seed: int, *, n_persons: int, n_sessions: int, n_att: int,
                     start=dt.date(2026, 1, 1), kind="quarter", surveys=None) -> Synthetic:
    """Random attendance: a few regulars and many who come once or twice (skewed by person),
    groups at random (a third without a label), small sessions, guest tallies, organisers."""
    rng = np.random.default_rng(seed)
    first = (start - EPOCH).days
    days = 85 if kind == "quarter" else 360
    weight = rng.pareto(1.2, n_persons) + 0.05 if n_persons else np.zeros(0)
    if n_persons:
        att_person = rng.choice(n_persons, n_att, p=weight / weight.sum())
        att_session = rng.integers(0, n_sessions, n_att)
        org = rng.integers(0, n_persons, max(n_sessions // 2, 1))
        org_session = rng.integers(0, n_sessions, org.shape[0])
    else:
        att_person = att_session = org = org_session = np.zeros(0, int)
    return synthetic(
        person_group=rng.integers(-1, 2, n_persons),
        att_person=att_person, att_session=att_session,
        session_day=first + np.sort(rng.integers(0, days, n_sessions)),
        session_activity=rng.integers(0, 3, n_sessions), activity_kind=[0, 0, 1],
        guests=rng.integers(0, 3, (n_sessions, 3)), org_person=org, org_session=org_session,
        start=start, kind=kind, surveys=surveys,
    )


def store(initiative, payload: dict, *, kind="quarter", start=dt.date(2026, 1, 1)):
    """Store as `compute_snapshot` does: the per-session detail apart from the payload."""
    import copy

    from verbinding.insights.models import Snapshot
    from verbinding.insights.snapshots import split_session_detail

    payload = copy.deepcopy(payload)
    detail = split_session_detail(payload)
    return Snapshot.objects.create(
        initiative=initiative, kind=kind, start=start, end=period_end(kind, start),
        params={}, payload=payload, sessions=detail,
    )


@pytest.fixture
def busy_payload():
    """A quarter with enough people for most figures to be published."""
    surveys = survey_result([{"1": 15, "2": 30, "3": 25}, {"4": 30, "5": 25, "2": 15}, {"1": 20, "2": 25, "3": 30},
                             {"1": 40, "2": 4}, {"1": 30, "2": 12, "3": 14}])
    return random_synthetic(7, n_persons=200, n_sessions=120, n_att=1500,
                            surveys=surveys).payload
