"""Compute and store one snapshot: periods, the JSON payload, the atomic write.

What belongs here: the calendar of periods (month, quarter, year), `compute_snapshot`
(extract -> `compute_all` -> payload -> one transaction), the conversion of the metric
dataclasses to JSON, and the person counts that disclosure control needs. The payload
format is documented in `insights/README.md`; `PAYLOAD_VERSION` changes when it does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from verbinding.accounts.models import VOLUNTEER_ROLES
from verbinding.activities.models import Format
from verbinding.attendance.models import CheckIn, GuestTally
from verbinding.core.models import Initiative
from verbinding.people.models import Person

from .extract import (
    GROUPS,
    Extract,
    _epoch_seconds,
    _pairs,
    _raw_rows,
    counted_sessions,
    extract,
    initiative_zone,
    local_days,
)
from .metrics.data import PROJECT, REGULAR, Dataset, MetricParams
from .metrics.summary import compute_all
from .models import Snapshot

PAYLOAD_VERSION = 2  # 2: counts.volunteers_by_group
Kind = Snapshot.Kind
MONTHS_PER_KIND = {Kind.MONTH: 1, Kind.QUARTER: 3, Kind.YEAR: 12}


# --- Periods ---------------------------------------------------------------------------


def period_start(kind: str, day: dt.date) -> dt.date:
    """First day of the month, quarter or year that contains ``day``."""
    step = MONTHS_PER_KIND[Kind(kind)]
    month = ((day.month - 1) // step) * step + 1
    return dt.date(day.year, month, 1)


def period_end(kind: str, start: dt.date) -> dt.date:
    """First day after the period that starts on ``start`` (exclusive end)."""
    months = start.year * 12 + start.month - 1 + MONTHS_PER_KIND[Kind(kind)]
    return dt.date(months // 12, months % 12 + 1, 1)


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def periods_with_data(initiative: Initiative, kind: str, *, since: dt.date | None = None) -> list[dt.date]:
    """Starts of every period (oldest first) with a counted session: not cancelled, with a
    registered check-in or a guest tally. ``since`` keeps periods that end after it.

    Three single-table queries joined in numpy (no correlated subquery whose plan depends
    on the database's statistics; see `extract`)."""
    with_visits = np.union1d(
        _pairs(CheckIn.objects.filter(initiative=initiative, person__isnull=False)
               .order_by().values_list("session_id").distinct(), 1)[:, 0],
        _pairs(GuestTally.objects.filter(initiative=initiative)
               .order_by().values_list("session_id").distinct(), 1)[:, 0],
    )
    rows = _raw_rows(counted_sessions(initiative).order_by().values_list("id", "start"))
    pks = np.array([r[0] for r in rows], dtype=np.int64)
    keep = np.isin(pks, with_visits).tolist()
    starts_s = _epoch_seconds([r[1] for r, k in zip(rows, keep, strict=True) if k])
    days = np.unique(local_days(starts_s, initiative_zone(initiative)))
    months = np.unique(days.astype("datetime64[D]").astype("datetime64[M]")).tolist()
    starts = {period_start(kind, m) for m in months}
    if since is not None:
        starts = {s for s in starts if period_end(kind, s) > since}
    return sorted(starts)


# --- JSON ------------------------------------------------------------------------------


def _number(x: float) -> float | None:
    return x if math.isfinite(x) else None


def to_jsonable(obj: Any) -> Any:
    """Dataclasses -> dicts with exactly their field names; arrays and tuples -> lists;
    NaN and ±inf -> None; dict keys -> strings. Recursive."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "f":
            cleaned = obj.astype(object)
            cleaned[~np.isfinite(obj)] = None
            return cleaned.tolist()
        return obj.tolist()
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _number(float(obj))
    if obj is None or isinstance(obj, str):
        return obj
    raise TypeError(f"cannot store {type(obj).__name__} in a snapshot")


# --- Counts for disclosure control -----------------------------------------------------


def _column(ds: Dataset, persons: np.ndarray) -> np.ndarray:
    col = np.asarray(ds.person_group)[persons].astype(np.int64)
    col[col < 0] = ds.n_groups
    return col


def _persons_by(ds: Dataset, key: np.ndarray, n_keys: int, person: np.ndarray) -> np.ndarray:
    """(n_keys, G+1) distinct persons per key and group column."""
    g1 = ds.n_groups + 1
    n_p = max(ds.n_persons, 1)
    if person.size == 0:
        return np.zeros((n_keys, g1), dtype=np.int64)
    pairs = np.unique(key.astype(np.int64) * n_p + person.astype(np.int64))
    k, p = pairs // n_p, pairs % n_p
    return np.bincount(k * g1 + _column(ds, p), minlength=n_keys * g1).reshape(n_keys, g1)


def disclosure_counts(
    ds: Dataset, ties_by_group: list[int] | None, mixed: np.ndarray | None = None
) -> dict:
    """The distinct-person counts behind each figure (README: "counts").

    `mixed` is the per-session mixed indicator of the metrics (`mix.sessions.mixed`); with it,
    the counts say how many distinct registered persons came to at least one mixed and at
    least one other session, which is what the mixed-session share rests on outside.
    """
    g1 = ds.n_groups + 1
    att_p = np.asarray(ds.att_person)
    att_s = np.asarray(ds.att_session)
    everyone = _persons_by(ds, np.zeros_like(att_p), 1, att_p)[0]
    act = np.asarray(ds.session_activity)[att_s]
    fmt = np.asarray(ds.session_format)[att_s]
    by_act = _persons_by(ds, act, ds.n_activities, att_p)
    fmt_keys, fmt_inv = np.unique(fmt, return_inverse=True)
    by_fmt = _persons_by(ds, fmt_inv, fmt_keys.shape[0], att_p)
    months = np.asarray(ds.session_month)[att_s]
    m0 = int(months.min()) if months.size else 0
    by_month = _persons_by(ds, months - m0, (int(months.max()) - m0 + 1) if months.size else 0, att_p)

    # Kind of the first activity, as retention defines it: project if any session on the
    # person's first day was a project.
    first_kind = {"regular": np.zeros(g1, np.int64), "project": np.zeros(g1, np.int64)}
    if att_p.size:
        day = np.asarray(ds.session_day)[att_s]
        first = np.full(ds.n_persons, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, att_p, day)
        on_first = day == first[att_p]
        kind = np.zeros(ds.n_persons, dtype=np.int64)
        att_kind = np.asarray(ds.activity_kind)[act].astype(np.int64)
        np.maximum.at(kind, att_p[on_first], att_kind[on_first])
        came = np.unique(att_p)
        cols = _column(ds, came)
        for name, code in (("regular", REGULAR), ("project", PROJECT)):
            sel = kind[came] == code
            first_kind[name] = np.bincount(cols[sel], minlength=g1)

    organisers = np.unique(np.asarray(ds.org_person))
    in_mixed = in_unmixed = 0
    if mixed is not None and att_p.size:
        at_mixed = np.asarray(mixed, dtype=bool)[att_s]
        in_mixed = int(np.unique(att_p[at_mixed]).size)
        in_unmixed = int(np.unique(att_p[~at_mixed]).size)
    return {
        "persons": int(everyone.sum()),
        "persons_by_group": everyone.tolist(),
        "labelled": int(everyone[: ds.n_groups].sum()),
        "attendances": ds.n_attendances,
        "sessions": ds.n_sessions,
        "guest_visits_by_group": np.asarray(ds.guests).sum(axis=0).astype(np.int64).tolist(),
        "guest_visits": int(np.asarray(ds.guests).sum()),
        "persons_by_activity": {str(a): by_act[a].tolist() for a in range(ds.n_activities)},
        "persons_by_format": {str(int(f)): by_fmt[i].tolist() for i, f in enumerate(fmt_keys)},
        "persons_by_month": {str(m0 + i): row.tolist() for i, row in enumerate(by_month)},
        "persons_by_first_kind": {k: v.tolist() for k, v in first_kind.items()},
        "tie_persons_by_group": list(ties_by_group) if ties_by_group is not None
        else [0] * ds.n_groups,
        "organisers_by_group": np.bincount(_column(ds, organisers), minlength=g1).tolist(),
        "persons_in_mixed": in_mixed,
        "persons_in_unmixed": in_unmixed,
    }


def volunteers_by_group(initiative: Initiative) -> list[int]:
    """[G+1] persons of ``initiative`` who hold a volunteer-type role there now, by group.

    The same definition as the volunteer path (`volunteers.selectors._volunteer_rows` and
    `get_balance`): a person of this initiative whose login holds a role in
    `accounts.models.VOLUNTEER_ROLES` in this initiative, not anonymised. Two such roles
    count once. The group is the consented `SelfDescription` (the row exists only with
    consent); no row, or "rather not say", is the last (unknown) column. A state at the
    moment of computing, not per period. One query; no Person is loaded.
    """
    index = {g: i for i, g in enumerate(GROUPS)}
    unknown = len(GROUPS)
    rows = (
        Person.objects.filter(
            initiative=initiative, anonymised_at__isnull=True,
            user__roles__initiative=initiative, user__roles__name__in=VOLUNTEER_ROLES,
        )
        .order_by().values_list("id", "self_description__group").distinct()
    )
    counts = [0] * (unknown + 1)
    # One row per person: the role join is collapsed by distinct(), and a person has at
    # most one SelfDescription (one-to-one).
    for _pk, group in rows:
        counts[index.get(group, unknown)] += 1
    return counts


# --- The payload and the snapshot -------------------------------------------------------


def _survey_results(initiative: Initiative, start: dt.date, end: dt.date) -> dict:
    """Survey results from the surveys app, if it provides them yet (else {})."""
    try:
        from verbinding.surveys import selectors as survey_selectors
    except ImportError:
        return {}
    period_results = getattr(survey_selectors, "period_results", None)
    if period_results is None:
        return {}
    # period_results takes the last day itself (both ends included); our end is exclusive.
    last = end - dt.timedelta(days=1)
    return to_jsonable(period_results(initiative, start, last)) or {}


def build_payload(ex: Extract, kind: str, start: dt.date, end: dt.date,
                  params: MetricParams, surveys: dict,
                  volunteers: list[int] | None = None) -> dict:
    """The JSON payload for one extract (pure apart from the inputs; README documents it).

    It still holds the per-session arrays; `compute_snapshot` moves them to
    `Snapshot.sessions` with `split_session_detail` before storing. ``volunteers`` is
    `volunteers_by_group` (read by `compute_snapshot`); without it the payload has no
    ``counts.volunteers_by_group``, as in snapshots of version 1."""
    ds = ex.dataset
    metrics = compute_all(ds, params) if ds.n_attendances else None
    metrics_json = to_jsonable(metrics) if metrics is not None else None
    ties_by_group = list(metrics.ties.bridging["newman"].n_by_group) if metrics else None
    last = end - dt.timedelta(days=1)
    months = range(month_index(start), month_index(last) + 1)
    used = {a["format"] for a in ex.activities}
    counts = disclosure_counts(
        ds, ties_by_group, metrics.mix.sessions.mixed if metrics is not None else None
    )
    if volunteers is not None:
        counts["volunteers_by_group"] = [int(n) for n in volunteers]
    return {
        "version": PAYLOAD_VERSION,
        "period": {"kind": str(kind), "start": start.isoformat(), "end": end.isoformat()},
        "metrics": metrics_json,
        "calendar": {str(m): month_label(m) for m in months},
        "activities": {str(i): a for i, a in enumerate(ex.activities)},
        "formats": {str(code): Format.values[code] for code in sorted(used)},
        "groups": {str(i): g for i, g in enumerate(GROUPS)},
        "sessions": {
            "activity": np.asarray(ds.session_activity).tolist(),
            "date": [d.isoformat() for d in ex.session_date],
            "format": np.asarray(ds.session_format).tolist(),
        },
        "counts": counts,
        "surveys": surveys,
    }


def split_session_detail(payload: dict) -> dict:
    """Move the per-session arrays out of a payload built by `build_payload` (in place).

    Returns what `Snapshot.sessions` stores: ``{"activity", "date", "format"}`` per session
    and ``"composition"`` (the `SessionComposition` of `metrics.mix.sessions`, field names
    kept). The payload keeps ``metrics.mix.sessions`` as null and loses ``sessions``.
    """
    detail = dict(payload.pop("sessions", None) or {})
    mix = (payload.get("metrics") or {}).get("mix")
    if mix is not None:
        detail["composition"] = mix.get("sessions")
        mix["sessions"] = None
    return detail


def compute_snapshot(initiative: Initiative, kind: str, start: dt.date,
                     params: MetricParams | None = None) -> Snapshot:
    """Compute one period's snapshot and store it, replacing the old one in one transaction."""
    kind = Kind(kind)
    params = params or MetricParams()
    start = period_start(kind, start)
    end = period_end(kind, start)
    t0 = time.perf_counter()
    ex = extract(initiative, start, end)
    payload = build_payload(ex, kind, start, end, params, _survey_results(initiative, start, end),
                            volunteers_by_group(initiative))
    sessions = split_session_detail(payload)
    duration_ms = round((time.perf_counter() - t0) * 1000)
    with transaction.atomic():
        snapshot, _created = Snapshot.objects.update_or_create(
            initiative=initiative, kind=kind, start=start,
            defaults={
                "end": end,
                "params": dataclasses.asdict(params),
                "payload": payload,
                "sessions": sessions,
                "computed_at": timezone.now(),
                "duration_ms": duration_ms,
            },
        )
    return snapshot


def load_params(snapshot: Snapshot) -> MetricParams:
    """The `MetricParams` a snapshot was computed with."""
    names = {f.name for f in dataclasses.fields(MetricParams)}
    return MetricParams(**{k: v for k, v in snapshot.params.items() if k in names})
