"""Sensor alerts (`POST /api/v1/alerts`) and device heartbeats.

An alert's type (services/intake/data/sensors.toml) gives its grouping key: alerts with the same key join one
case while someone still has to act on it (`domain.alerts.JOINABLE`), so a storm of alerts is one case whose
`alert_count` grows; otherwise the alert opens a case through `take_in`. An all-clear (`resolved: true`) ends
that case where the type allows and this center owns it, and is only recorded on it otherwise.

Every alert, and a heartbeat (alert_type `heartbeat`, level `info`), also tells that its device is alive. The
intake service's timer calls `sweep_heartbeats`, which opens one device-offline case per outage.

Concurrency: two alerts with a new key may arrive at once, in one process or in several. Each opens its case
optimistically; inside the creating transaction (take_in's hook) it takes a PostgreSQL advisory lock on the
key (`pg_advisory_xact_lock(LOCK_SPACE, hashtext(key))`, held until commit) and looks again for a joinable
case with the key. The first to commit wins; a later one sees the winner's case (READ COMMITTED: each
statement sees every commit made before it), rolls back and joins that case instead. On SQLite the writer
lock serialises the transactions and the same look-again decides. Joining locks the case row (FOR UPDATE),
so concurrent joins count every alert.

`group` applies the same grouping to what is not a sensor alert but should join one case per key the same way
(a tracked vehicle's warnings: key "vehicle:{vehicle_id}", services/warning/tracks.py), without the device
bookkeeping.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sqlalchemy as sa
import structlog
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from services.intake.adapters.tables import Sensor
from services.intake.domain.alerts import (
    CLEAR,
    HEARTBEAT,
    IGNORE,
    JOIN,
    JOINABLE,
    NOTE,
    OPEN,
    AlertType,
    SensorTypes,
    decide,
    decide_all_clear,
    describe,
    describe_offline,
    group_key,
    higher,
    offline_key,
    seen_at,
    sensor_types,
)
from services.intake.handlers import NewCase, take_in
from shared import lifecycle
from shared.contracts.api import AlertIn
from shared.store.tables import Case

log = structlog.get_logger("yiwang.intake")
ACTOR = "system:intake"
LOCK_SPACE = 7020602  # advisory locks on group keys: (LOCK_SPACE, hashtext(key)); a hash collision only waits


@dataclass(frozen=True)
class AlertResult:
    case_id: str | None
    grouped: bool


class _Raced(Exception):
    """Another transaction got there first (a case with the same key, or the same outage): roll back."""


class _Declined(Exception):
    """`group`'s claim said no inside the creating transaction: roll back, do nothing."""


def receive(store, alert: AlertIn, actor: str) -> AlertResult:
    """Take one alert: join the joinable case with its key, open one, or apply an all-clear. `grouped` is true
    when the alert landed on an existing case; `case_id` is None when it made no case (a heartbeat, an `info`
    alert or an all-clear with nothing open). An unknown alert type raises `UnknownAlertType` (422) before
    anything is stored."""
    types = sensor_types()
    t = types.get(alert.alert_type)
    _heard_from(store, alert, t, types, actor)
    if t.code == HEARTBEAT:
        return AlertResult(None, False)
    key = group_key(t, alert.sensor_id, alert.location.lon, alert.location.lat)
    while True:
        with store.uow() as uow:
            case = _joinable(uow, key)
            action = decide(t, alert.level, alert.resolved, case.center if case else None, store.center)
            if action == IGNORE:
                return AlertResult(None, False)
            if action != OPEN:
                assert case is not None  # decide() joins, clears or notes only a case there is
                _act(uow, case, action, t, alert, actor)
                uow.commit()
                return AlertResult(case.id, True)
        try:
            return AlertResult(_open(store, t, alert, key, actor), False)
        except _Raced:
            log.info("alert joins a case opened at the same moment", group_key=key, sensor_id=alert.sensor_id)


def group(store, key: str, new: NewCase, facts: dict, actor: str, *,
          claim: Callable[..., bool] | None = None, then: Callable[..., None] | None = None) -> AlertResult | None:
    """Join the joinable case with `key` (as an alert would: `alert_count` grows, an `alert_grouped` event with
    `facts`, the priority raised to `new.priority` if higher), else open one from `new` with that key — with the
    same race handling as alerts. `claim(uow)` runs first in the transaction that joins or opens; when it returns
    False nothing is done and None is returned. `then(uow, case_id)` runs last in that transaction."""
    while True:
        with store.uow() as uow:
            if claim is not None and not claim(uow):
                return None
            case = _joinable(uow, key)
            if case is not None:
                case.alert_count += 1
                priority = higher(case.priority, new.priority)
                raised, case.priority = priority != case.priority, priority
                uow.record(case, [lifecycle.Event("alert_grouped", {
                    **facts, "count": case.alert_count, "priority": priority if raised else None})], actor)
                if then is not None:
                    then(uow, case.id)
                uow.commit()
                log.debug("grouped into a case", case_id=case.id, group_key=key, count=case.alert_count)
                return AlertResult(case.id, True)

        def hook(uow, case):
            if claim is not None and not claim(uow):
                raise _Declined()
            _claim_key(uow, key, case)
            if then is not None:
                then(uow, case.id)

        try:
            case_id = take_in(store, replace(new, group_key=key), actor, uow_hook=hook).case_id
        except _Raced:
            log.info("joins a case opened at the same moment", group_key=key)
            continue
        except _Declined:
            return None
        log.info("opened a grouped case", case_id=case_id, group_key=key)
        return AlertResult(case_id, False)


def _claim_key(uow, key: str, case: Case) -> None:
    """Inside the transaction creating `case` with `key`: lock the key, and raise `_Raced` when a joinable case
    with it has been committed meanwhile."""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"),
                            {"space": LOCK_SPACE, "key": key})
    if _joinable(uow, key, besides=case.id) is not None:
        raise _Raced()


def _facts(alert: AlertIn) -> dict:
    return {"sensor_id": alert.sensor_id, "alert_type": alert.alert_type, "level": alert.level,
            "value": alert.value, "threshold": alert.threshold, "observed_at": alert.observed_at.isoformat()}


def _joinable(uow, key: str, besides: str | None = None) -> Case | None:
    """The case alerts with `key` join, locked: the oldest joinable case with the key, else the joinable case
    that a case with the key was merged into (并单). `besides` is left out (the case being created)."""
    rows = uow.session.exec(select(Case).where(Case.group_key == key,
                                               col(Case.status).in_(JOINABLE | {lifecycle.MERGED}))
                            .order_by(col(Case.created_at), col(Case.id)).with_for_update()).all()
    rows = [c for c in rows if c.id != besides]
    for case in rows:
        if case.status in JOINABLE:
            return case
    for case in rows:
        target = uow.case(case.merged_into)
        if target.status in JOINABLE:
            return target
    return None


def _act(uow, case: Case, action: str, t: AlertType, alert: AlertIn, actor: str) -> None:
    """Add the alert to the case (JOIN), end the case (CLEAR) or record the all-clear on it (NOTE)."""
    if action == JOIN:
        case.alert_count += 1
        priority = higher(case.priority, t.priority(alert.level))
        raised, case.priority = priority != case.priority, priority
        uow.record(case, [lifecycle.Event("alert_grouped", {
            **_facts(alert), "count": case.alert_count, "priority": priority if raised else None})], actor)
        log.debug("alert grouped", case_id=case.id, count=case.alert_count, sensor_id=alert.sensor_id)
        _storm(uow, case, t)
    elif action == CLEAR:
        uow.apply(case, lifecycle.Clear(f"{t.name}已解除（传感器 {alert.sensor_id} 报告恢复正常）"), actor)
        log.info("all-clear ended a case", case_id=case.id, status=case.status, sensor_id=alert.sensor_id)
    else:
        uow.record(case, [lifecycle.Event("alert_grouped", {
            **_facts(alert), "count": case.alert_count, "all_clear": True})], actor)
        log.info("all-clear recorded", case_id=case.id, sensor_id=alert.sensor_id)


def _storm(uow, case: Case, t: AlertType) -> None:
    """A case whose alerts keep coming is an alert storm (CONTRACTS.md §7 `alert_storm`): one warning per case,
    raised again when the storm turns red (thresholds in services/warning/data/warnings.toml)."""
    from services.warning import api as warning  # here, not at the top: the warnings' package imports intake

    level = warning.storm_level(warning.rules(), case.alert_count)
    if level is not None:
        warning.raise_warning(uow, kind="alert_storm", level=level, region=case.region,
                              title=f"告警风暴：{t.name} 已累计 {case.alert_count} 次告警", cause=f"alert_storm:{case.id}",
                              evidence={"alert_type": t.code, "alerts": case.alert_count, "group_key": case.group_key},
                              case_ids=[case.id])


def _open(store, t: AlertType, alert: AlertIn, key: str, actor: str) -> str:
    """Open the case of a new key; raises `_Raced` when a concurrent alert with the key opened one first."""
    def claim(uow, case):
        _claim_key(uow, key, case)

    loc = alert.location
    new = NewCase(source="sensor", description=describe(t, alert.sensor_id, alert.level, alert.value, alert.threshold),
                  lon=loc.lon, lat=loc.lat, address=loc.address, category=t.category,
                  priority=t.priority(alert.level), occurred_at=alert.observed_at, group_key=key, facts=_facts(alert))
    case_id = take_in(store, new, actor, uow_hook=claim).case_id
    log.info("alert opened a case", case_id=case_id, group_key=key, sensor_id=alert.sensor_id)
    return case_id


# ---- heartbeats ----------------------------------------------------------------------------------
def _heard_from(store, alert: AlertIn, t: AlertType, types: SensorTypes, actor: str) -> None:
    """Record that the device is alive: its type, place, last-seen and next-due times. A device that was
    offline is back, which ends its offline case (or records that on it). A late message that leaves the
    device silent past its due time even so does not end the outage."""
    loc = alert.location
    with store.uow() as uow:
        now = uow.now()
        seen = seen_at(alert.observed_at, now)
        insert = postgresql.insert if uow.session.get_bind().dialect.name == "postgresql" else sqlite.insert
        uow.session.execute(insert(Sensor).values(
            sensor_id=alert.sensor_id, kind=t.code, lon=loc.lon, lat=loc.lat, address=loc.address,
            last_seen_at=seen, next_due_at=seen + types.silence_allowed(t.code)).on_conflict_do_nothing())
        sensor = uow.session.exec(select(Sensor).where(Sensor.sensor_id == alert.sensor_id).with_for_update()).one()
        if t.code != HEARTBEAT:
            sensor.kind = t.code
        if seen >= sensor.last_seen_at:
            sensor.last_seen_at, sensor.lon, sensor.lat, sensor.address = seen, loc.lon, loc.lat, loc.address
        due = sensor.last_seen_at + types.silence_allowed(sensor.kind)
        if sensor.offline_case_id is None:
            sensor.next_due_at = due
        elif due > now:
            _back_online(uow, sensor, types, actor)
            sensor.offline_case_id, sensor.next_due_at = None, due
        uow.add(sensor)
        uow.commit()


def _back_online(uow, sensor: Sensor, types: SensorTypes, actor: str) -> None:
    case = uow.case(sensor.offline_case_id)
    action = decide_all_clear(types.offline.all_clear_resolves,
                              case.center if case.status in JOINABLE else None, uow.center)
    note = f"感知设备 {sensor.sensor_id} 恢复上报"
    if action == CLEAR:
        uow.apply(case, lifecycle.Clear(note), actor)
    elif action == NOTE:
        uow.record(case, [lifecycle.Event("alert_grouped", {"sensor_id": sensor.sensor_id, "all_clear": True,
                                                            "note": note})], actor)
    log.info("sensor back online", sensor_id=sensor.sensor_id, case_id=case.id, action=action)


def sweep_heartbeats(store, batch: int = 100) -> int:
    """Open one device-offline case for every device silent past its due time; returns how many. Reads only
    the due devices (index on `next_due_at`). A device with an open outage has no due time, so it is not
    reported again until it has reported (and gone silent) again."""
    types = sensor_types()
    opened = 0
    while True:
        now = store.now()
        with store.session() as s:
            due = s.exec(select(Sensor).where(col(Sensor.next_due_at) <= now)
                         .order_by(col(Sensor.next_due_at)).limit(batch)).all()
        opened += sum(_report_offline(store, sensor, types, now) for sensor in due)
        if len(due) < batch:
            return opened


def _report_offline(store, sensor: Sensor, types: SensorTypes, now) -> int:
    """Open the offline case of one due device: 1, or 0 when another sweeper did or the device came back."""
    def claim(uow, case):
        row = uow.session.exec(select(Sensor).where(Sensor.sensor_id == sensor.sensor_id).with_for_update()).one()
        if row.next_due_at is None or row.next_due_at > now:
            raise _Raced()
        row.offline_case_id, row.next_due_at = case.id, None
        uow.add(row)
        from services.warning import api as warning  # here, not at the top: the warnings' package imports intake

        warning.raise_warning(  # the warning record of the outage (CONTRACTS.md §7 `device_offline`)
            uow, kind="device_offline", level=str(warning.rules().of("device_offline").get("level", "yellow")),
            region=case.region, title=f"设备离线：感知设备 {sensor.sensor_id} 超时未上报",
            evidence={"sensor_id": sensor.sensor_id, "alert_type": sensor.kind,
                      "last_seen_at": sensor.last_seen_at.isoformat(), "silence_allowed_s": silence.total_seconds()},
            cause=f"device_offline:{sensor.sensor_id}:{case.id}", case_ids=[case.id])

    silence = types.silence_allowed(sensor.kind)
    new = NewCase(source="sensor", lon=sensor.lon, lat=sensor.lat, address=sensor.address,
                  description=describe_offline(sensor.sensor_id, types.types.get(sensor.kind), sensor.last_seen_at,
                                               silence),
                  category=types.offline.category, priority=types.offline.priority, occurred_at=sensor.last_seen_at,
                  group_key=offline_key(sensor.sensor_id),
                  facts={"sensor_id": sensor.sensor_id, "alert_type": sensor.kind, "offline": True,
                         "last_seen_at": sensor.last_seen_at.isoformat()})
    try:
        case_id = take_in(store, new, ACTOR, uow_hook=claim).case_id
    except _Raced:
        return 0
    log.warning("sensor offline", sensor_id=sensor.sensor_id, case_id=case_id,
                last_seen_at=sensor.last_seen_at.isoformat())
    return 1
