"""Write services for target tracking. Every write is recorded in the audit log.

Reported values are append-only: saving, submitting, approving and returning each add a new version
(:class:`~carbonpeak.web.tracking.models.ReportedValue`); nothing is updated or deleted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.plan import Plan
from carbonpeak.web.tracking import selectors
from carbonpeak.web.tracking.models import (
    AllocatedTargetValue,
    AuditEntry,
    MilestoneVersion,
    ReportedValue,
    UnitMembership,
    UnitToken,
)
from carbonpeak.web.tracking.roles import ANALYST_GROUP, OFFICE_GROUP, Roles, roles_for

EVIDENCE_TYPES = {
    ".pdf": "PDF",
    ".xlsx": "XLSX",
    ".csv": "CSV",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
}
"""Accepted evidence files by suffix."""


class TrackingInputError(CarbonpeakError, ValueError):
    """A value or evidence file that cannot be accepted; ``field`` names the form or API field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotAllowedError(CarbonpeakError, PermissionError):
    """The user (or token) may not do this."""


@dataclass(frozen=True)
class Actor:
    """Who writes: a signed-in user, or a unit token (API), or the command line."""

    user: User | None
    roles: Roles
    label: str
    via: str

    @classmethod
    def for_user(cls, user: User) -> Actor:
        return cls(user, roles_for(user), user.get_username(), "web")

    @classmethod
    def cli(cls) -> Actor:
        """The command line, run by whoever administers the installation (office rights)."""
        return cls(None, Roles(authenticated=True, office=True), "cli", "cli")

    @classmethod
    def for_token(cls, token: UnitToken) -> Actor:
        roles = Roles(authenticated=True, units={token.unit_code: UnitMembership.REPORTER})
        return cls(None, roles, f"token:{token.name}", f"api:{token.name}")


@dataclass(frozen=True)
class Evidence:
    """An uploaded evidence file."""

    name: str
    content: bytes

    @classmethod
    def from_upload(cls, upload: Any) -> Evidence:
        """Read an uploaded file, refusing one over the size limit before reading it into memory."""
        name = str(upload.name or "evidence")
        limit_mb: int = settings.TRACKING_EVIDENCE_MAX_MB
        if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
            raise TrackingInputError(
                f"{name}: {upload.size} bytes is over the {limit_mb} MB limit", "evidence"
            )
        return cls(name, upload.read())


def audit_record(
    *, actor: Actor, action: str, object_type: str, object_id: str, before: Any = None, after: Any = None
) -> AuditEntry:
    """Record one write in the audit log."""
    return AuditEntry.objects.create(
        at=timezone.now(),
        user=actor.user,
        actor=actor.label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
    )


def _looks_like_csv(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            rows = list(csv.reader(io.StringIO(text[:65536])))
        except csv.Error:
            return False
        return bool(rows)
    return False


def _looks_like_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def evidence_check(*, evidence: Evidence) -> str:
    """Check an evidence file's size, suffix and content signature; return its kind (``PDF``, ...).

    Raises
    ------
    TrackingInputError
        For an empty file, a file over ``TRACKING_EVIDENCE_MAX_MB``, a suffix other than .pdf, .xlsx,
        .csv, .jpg, .jpeg or .png, or content that is not what the suffix says.
    """
    suffix = Path(evidence.name).suffix.lower()
    kind = EVIDENCE_TYPES.get(suffix)
    if kind is None:
        raise TrackingInputError(
            f"{evidence.name}: only PDF, XLSX, CSV, JPG and PNG files are accepted", "evidence"
        )
    limit_mb: int = settings.TRACKING_EVIDENCE_MAX_MB
    if not evidence.content:
        raise TrackingInputError(f"{evidence.name}: the file is empty", "evidence")
    if len(evidence.content) > limit_mb * 1024 * 1024:
        raise TrackingInputError(
            f"{evidence.name}: {len(evidence.content)} bytes is over the {limit_mb} MB limit", "evidence"
        )
    content = evidence.content
    ok = {
        "PDF": content.startswith(b"%PDF-"),
        "PNG": content.startswith(b"\x89PNG\r\n\x1a\n"),
        "JPEG": content.startswith(b"\xff\xd8\xff"),
        "XLSX": _looks_like_xlsx(content),
        "CSV": _looks_like_csv(content),
    }[kind]
    if not ok:
        raise TrackingInputError(f"{evidence.name}: the content is not a {kind} file", "evidence")
    return kind


def _evidence_store(evidence: Evidence) -> tuple[str, str]:
    """Write the file under ``<data dir>/evidence/`` (named by its hash); return (relative path, sha256)."""
    sha = hashlib.sha256(evidence.content).hexdigest()
    relative = Path("evidence") / sha[:2] / f"{sha}{Path(evidence.name).suffix.lower()}"
    path = Path(settings.DATA_DIR) / relative
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(evidence.content)
    return relative.as_posix(), sha


def _summary(row: ReportedValue | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "version": row.version,
        "state": row.state,
        "value": row.value,
        "period_end": row.period_end.isoformat(),
        "evidence": row.evidence_name,
        "reason": row.reason,
    }


def _new_version(
    previous: ReportedValue | None, *, actor: Actor, base: dict[str, Any], **changes: Any
) -> ReportedValue:
    fields = dict(base)
    if previous is not None:
        fields |= {
            f: getattr(previous, f)
            for f in (
                "value",
                "unit",
                "note",
                "evidence_name",
                "evidence_path",
                "evidence_sha256",
                "evidence_size",
            )
        }
    fields |= changes
    top = ReportedValue.objects.filter(
        plan_code=base["plan_code"], target_code=base["target_code"], period_end=base["period_end"]
    ).aggregate(top=Max("version"))["top"]
    return ReportedValue.objects.create(
        version=(top or 0) + 1,
        created_at=timezone.now(),
        created_by=actor.user,
        created_via=actor.via,
        **fields,
    )


def _current(plan_code: str, target_code: str, period_end: date) -> ReportedValue | None:
    return (
        ReportedValue.objects.select_for_update()
        .filter(plan_code=plan_code, target_code=target_code, period_end=period_end)
        .order_by("-version")
        .first()
    )


def reported_value_save(
    *,
    actor: Actor,
    target_code: str,
    year: int,
    value: float,
    note: str = "",
    evidence: Evidence | None = None,
    submit: bool = False,
    reason: str = "",
) -> ReportedValue:
    """Store a new version of a reported value (a draft, or submitted for approval when ``submit``).

    The previous version's evidence is kept when no new file is given. A submission needs evidence.

    Parameters
    ----------
    actor : Actor
        Who reports; must be the target's lead unit's reporter (or the office).
    target_code : str
        A target of the latest plan whose values are reported (not computed, not qualitative).
    year : int
        The year the value is for [a]; its period ends on 31 December.
    value : float
        The value [target unit]; for additions, the amount added in that year.

    Raises
    ------
    TrackingInputError
        Unknown target, a target that is computed or qualitative, a year out of range, a value that is
        not finite, a bad evidence file, a submission without evidence, or a value awaiting approval.
    NotAllowedError
        The actor may not report for the target's lead unit.
    """
    found = selectors.current_plan()
    if found is None:
        raise TrackingInputError("no plan is loaded", "target")
    plan = found[1]
    target = selectors.target_get(plan=plan, code=target_code)
    if target is None:
        raise TrackingInputError(f"target '{target_code}' is not in plan {plan.plan.id}", "target")
    if not actor.roles.can_report(target.lead_unit):
        raise NotAllowedError(
            f"{actor.label} may not report values of target {target_code} (lead unit {target.lead_unit})"
        )
    if not target.reportable:
        raise TrackingInputError(
            f"target '{target_code}' is {target.kind}: its values are not reported by hand", "target"
        )
    first = target.spec.baseline_year or target.spec.start_year - 1
    if not first <= year <= target.spec.deadline_year:
        raise TrackingInputError(
            f"year {year} is outside {first}-{target.spec.deadline_year} for target {target_code}", "period"
        )
    if not math.isfinite(value):
        raise TrackingInputError(f"value {value!r} is not a finite number", "value")
    stored: dict[str, Any] = {}
    if evidence is not None:
        evidence_check(evidence=evidence)
        path, sha = _evidence_store(evidence)
        stored = {
            "evidence_name": Path(evidence.name).name[:200],
            "evidence_path": path,
            "evidence_sha256": sha,
            "evidence_size": len(evidence.content),
        }
    period = date(year, 12, 31)
    base = {
        "plan_code": plan.plan.id,
        "target_code": target.code,
        "indicator_code": target.indicator_code,
        "unit_code": target.lead_unit or "",
        "period_end": period,
    }
    with transaction.atomic():
        previous = _current(plan.plan.id, target.code, period)
        if previous is not None and previous.state == ReportedValue.SUBMITTED:
            raise TrackingInputError(
                f"the {year} value of {target_code} awaits the office's decision; it cannot change now",
                "period",
            )
        row = _new_version(
            previous,
            actor=actor,
            base=base,
            value=float(value),
            unit=target.unit,
            note=note,
            state=ReportedValue.SUBMITTED if submit else ReportedValue.DRAFT,
            reason=reason or ("submitted" if submit else "draft saved"),
            **stored,
        )
        if submit and not row.evidence_path:
            raise TrackingInputError("a submission needs an evidence file", "evidence")
        audit_record(
            actor=actor,
            action="value.submit" if submit else "value.save",
            object_type="reported_value",
            object_id=f"{target.code}/{year}",
            before=_summary(previous),
            after=_summary(row),
        )
    return row


def reported_value_submit(*, actor: Actor, target_code: str, year: int) -> ReportedValue:
    """Submit the current draft (or returned value) of a target and year for approval."""
    found = selectors.current_plan()
    if found is None:
        raise TrackingInputError("no plan is loaded", "target")
    plan = found[1]
    target = selectors.target_get(plan=plan, code=target_code)
    if target is None:
        raise TrackingInputError(f"target '{target_code}' is not in plan {plan.plan.id}", "target")
    if not actor.roles.can_report(target.lead_unit):
        raise NotAllowedError(f"{actor.label} may not report values of target {target_code}")
    period = date(year, 12, 31)
    with transaction.atomic():
        previous = _current(plan.plan.id, target_code, period)
        if previous is None or previous.state not in (ReportedValue.DRAFT, ReportedValue.RETURNED):
            raise TrackingInputError(f"there is no draft of {target_code} for {year} to submit", "period")
        if not previous.evidence_path:
            raise TrackingInputError("a submission needs an evidence file", "evidence")
        base = {f: getattr(previous, f) for f in ("plan_code", "target_code", "indicator_code", "unit_code")}
        row = _new_version(
            previous,
            actor=actor,
            base=base | {"period_end": period},
            state=ReportedValue.SUBMITTED,
            reason="submitted",
        )
        audit_record(
            actor=actor,
            action="value.submit",
            object_type="reported_value",
            object_id=f"{target_code}/{year}",
            before=_summary(previous),
            after=_summary(row),
        )
    return row


def reported_value_review(
    *, actor: Actor, target_code: str, year: int, approve: bool, reason: str = ""
) -> ReportedValue:
    """Approve (publish) or return a submitted value: a new version in state approved or returned.

    Raises
    ------
    NotAllowedError
        When the actor is not the office.
    TrackingInputError
        When nothing is pending, or a value is returned without a reason.
    """
    if not actor.roles.can_review:
        raise NotAllowedError(f"{actor.label} may not approve or return values")
    if not approve and not reason.strip():
        raise TrackingInputError("say why the value is returned", "reason")
    found = selectors.current_plan()
    if found is None:
        raise TrackingInputError("no plan is loaded", "target")
    plan_code = found[1].plan.id
    period = date(year, 12, 31)
    with transaction.atomic():
        previous = _current(plan_code, target_code, period)
        if previous is None or previous.state != ReportedValue.SUBMITTED:
            raise TrackingInputError(f"no value of {target_code} for {year} awaits approval", "period")
        base = {f: getattr(previous, f) for f in ("plan_code", "target_code", "indicator_code", "unit_code")}
        row = _new_version(
            previous,
            actor=actor,
            base=base | {"period_end": period},
            state=ReportedValue.APPROVED if approve else ReportedValue.RETURNED,
            reason=reason.strip() or "approved",
        )
        audit_record(
            actor=actor,
            action="value.approve" if approve else "value.return",
            object_type="reported_value",
            object_id=f"{target_code}/{year}",
            before=_summary(previous),
            after=_summary(row),
        )
    return row


def _milestone_summary(row: MilestoneVersion | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "version": row.version,
        "state": row.state,
        "name": row.name,
        "due": row.due.isoformat(),
        "done": row.done.isoformat() if row.done else None,
        "reason": row.reason,
    }


def _current_milestone(plan_code: str, target_code: str, number: int) -> MilestoneVersion | None:
    return (
        MilestoneVersion.objects.select_for_update()
        .filter(plan_code=plan_code, target_code=target_code, number=number)
        .order_by("-version")
        .first()
    )


def milestone_save(
    *,
    actor: Actor,
    target_code: str,
    name: str,
    due: date,
    done: date | None = None,
    number: int | None = None,
    reason: str = "",
) -> MilestoneVersion:
    """Submit a new milestone (``number`` None) or a new version of one (e.g. marked done) for approval.

    Raises
    ------
    TrackingInputError
        Unknown or non-qualitative target, an empty name, a done date in the future, an unknown milestone
        number, or a milestone that already awaits the office's decision.
    NotAllowedError
        The actor may not report for the target's lead unit.
    """
    found = selectors.current_plan()
    if found is None:
        raise TrackingInputError("no plan is loaded", "target")
    plan = found[1]
    target = selectors.target_get(plan=plan, code=target_code)
    if target is None:
        raise TrackingInputError(f"target '{target_code}' is not in plan {plan.plan.id}", "target")
    if not actor.roles.can_report(target.lead_unit):
        raise NotAllowedError(f"{actor.label} may not set milestones of target {target_code}")
    if target.kind != selectors.MILESTONES:
        raise TrackingInputError(f"target '{target_code}' is {target.kind}: it has no milestones", "target")
    if not name.strip():
        raise TrackingInputError("a milestone needs a name", "name")
    if done is not None and done > timezone.localdate():
        raise TrackingInputError(f"done date {done} is in the future", "done")
    with transaction.atomic():
        if number is None:
            top = MilestoneVersion.objects.filter(plan_code=plan.plan.id, target_code=target_code).aggregate(
                top=Max("number")
            )["top"]
            number, previous = (top or 0) + 1, None
        else:
            previous = _current_milestone(plan.plan.id, target_code, number)
            if previous is None:
                raise TrackingInputError(f"target {target_code} has no milestone {number}", "number")
            if previous.state == MilestoneVersion.SUBMITTED:
                raise TrackingInputError(f"milestone {number} awaits the office's decision", "number")
        row = MilestoneVersion.objects.create(
            plan_code=plan.plan.id,
            target_code=target_code,
            unit_code=target.lead_unit or "",
            number=number,
            version=(previous.version if previous else 0) + 1,
            name=name.strip()[:200],
            due=due,
            done=done,
            state=MilestoneVersion.SUBMITTED,
            reason=reason or "submitted",
            created_at=timezone.now(),
            created_by=actor.user,
            created_via=actor.via,
        )
        audit_record(
            actor=actor,
            action="milestone.submit",
            object_type="milestone",
            object_id=f"{target_code}#{number}",
            before=_milestone_summary(previous),
            after=_milestone_summary(row),
        )
    return row


def milestone_review(
    *, actor: Actor, target_code: str, number: int, approve: bool, reason: str = ""
) -> MilestoneVersion:
    """Approve (publish) or return a submitted milestone version (the office)."""
    if not actor.roles.can_review:
        raise NotAllowedError(f"{actor.label} may not approve or return milestones")
    if not approve and not reason.strip():
        raise TrackingInputError("say why the milestone is returned", "reason")
    found = selectors.current_plan()
    if found is None:
        raise TrackingInputError("no plan is loaded", "target")
    plan_code = found[1].plan.id
    with transaction.atomic():
        previous = _current_milestone(plan_code, target_code, number)
        if previous is None or previous.state != MilestoneVersion.SUBMITTED:
            raise TrackingInputError(f"milestone {number} of {target_code} does not await approval", "number")
        row = MilestoneVersion.objects.create(
            plan_code=plan_code,
            target_code=target_code,
            unit_code=previous.unit_code,
            number=number,
            version=previous.version + 1,
            name=previous.name,
            due=previous.due,
            done=previous.done,
            state=MilestoneVersion.APPROVED if approve else MilestoneVersion.RETURNED,
            reason=reason.strip() or "approved",
            created_at=timezone.now(),
            created_by=actor.user,
            created_via=actor.via,
        )
        audit_record(
            actor=actor,
            action="milestone.approve" if approve else "milestone.return",
            object_type="milestone",
            object_id=f"{target_code}#{number}",
            before=_milestone_summary(previous),
            after=_milestone_summary(row),
        )
    return row


def token_hash(token: str) -> str:
    """The stored form of a unit token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def unit_token_create(*, actor: Actor, name: str, unit_code: str) -> tuple[UnitToken, str]:
    """Create an API token for one unit; return it with the token (shown once, stored only hashed)."""
    if not actor.roles.office:
        raise NotAllowedError(f"{actor.label} may not create unit tokens")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        row = UnitToken.objects.create(
            name=name, unit_code=unit_code, token_sha256=token_hash(token), created_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="token.create",
            object_type="unit_token",
            object_id=name,
            after={"unit_code": unit_code},
        )
    return row, token


def unit_membership_set(*, actor: Actor, user: User, unit_code: str, role: str) -> UnitMembership:
    """Give a user a role (reporter or viewer) in a unit, replacing its previous role there."""
    if not actor.roles.office:
        raise NotAllowedError(f"{actor.label} may not assign unit roles")
    if role not in (UnitMembership.REPORTER, UnitMembership.VIEWER):
        raise TrackingInputError(f"role must be reporter or viewer, not {role!r}", "role")
    with transaction.atomic():
        before = UnitMembership.objects.filter(user=user, unit_code=unit_code).first()
        row, _ = UnitMembership.objects.update_or_create(
            user=user, unit_code=unit_code, defaults={"role": role}
        )
        audit_record(
            actor=actor,
            action="membership.set",
            object_type="unit_membership",
            object_id=f"{user.get_username()}@{unit_code}",
            before={"role": before.role} if before else None,
            after={"role": role},
        )
    return row


def groups_ensure() -> None:
    """Create the ``office`` and ``analyst`` groups if missing."""
    for name in (OFFICE_GROUP, ANALYST_GROUP):
        Group.objects.get_or_create(name=name)


def reminders_send(*, as_of: date | None = None) -> dict[str, int]:
    """E-mail each unit's reporters the list of its overdue reports; return the count per unit.

    Uses Django's e-mail backend (the console in development; see ``docs/configuration.md``).
    """
    items = selectors.overdue_reports(as_of=as_of)
    by_unit: dict[str, list[selectors.OverdueItem]] = {}
    for item in items:
        if item.target.lead_unit:
            by_unit.setdefault(item.target.lead_unit, []).append(item)
    sent: dict[str, int] = {}
    for unit_code, overdue in sorted(by_unit.items()):
        recipients = sorted(
            {
                m.user.email
                for m in UnitMembership.objects.filter(
                    unit_code=unit_code, role=UnitMembership.REPORTER
                ).select_related("user")
                if m.user.email and m.user.is_active
            }
        )
        if not recipients:
            continue
        lines = [
            f"- {o.target.code} ({o.target.indicator_zh}), {o.year}: due {o.due.isoformat()}, "
            f"{o.days_late} days late"
            for o in overdue
        ]
        body = (
            f"碳达峰平台 / carbonpeak: {len(overdue)} overdue report(s) of unit {unit_code}.\n\n"
            + "\n".join(lines)
            + "\n"
        )
        send_mail(
            subject=f"[carbonpeak] {len(overdue)} overdue report(s): {unit_code}",
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
        sent[unit_code] = len(overdue)
    return sent


DEMO_UNIT_USERS: tuple[tuple[str, str, str], ...] = (
    ("demo-landscaping-reporter", "landscaping_city_appearance_bureau", UnitMembership.REPORTER),
    ("demo-landscaping-viewer", "landscaping_city_appearance_bureau", UnitMembership.VIEWER),
    ("demo-construction-reporter", "construction_commission", UnitMembership.REPORTER),
    ("demo-analyst", "", ANALYST_GROUP),
)
"""Synthetic demo accounts: (username, unit, role); the analyst has no unit."""


def demo_unit_users_ensure(*, credentials_file: Path) -> dict[str, dict[str, str]]:
    """Create the synthetic demo unit accounts (or keep them), with random passwords kept in a file.

    The passwords are random per installation and written to ``credentials_file`` (JSON, mode 0600) in
    the data directory, never to the repository. Accounts whose password still matches the file are kept.

    Returns
    -------
    dict
        Username → ``{"password", "unit", "role"}``.
    """
    import json

    groups_ensure()
    known: dict[str, dict[str, str]] = {}
    if credentials_file.is_file():
        known = json.loads(credentials_file.read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    with transaction.atomic():
        for username, unit_code, role in DEMO_UNIT_USERS:
            user = User.objects.filter(username=username).first()
            password = known.get(username, {}).get("password", "")
            if user is None or not password or not user.check_password(password):
                password = secrets.token_urlsafe(12)
                if user is None:
                    user = User(username=username, first_name="演示", last_name="(合成 synthetic)")
                user.set_password(password)
                user.email = f"{username}@example.invalid"
                user.save()
            if role == ANALYST_GROUP:
                user.groups.add(Group.objects.get(name=ANALYST_GROUP))
            else:
                _, created = UnitMembership.objects.update_or_create(
                    user=user, unit_code=unit_code, defaults={"role": role}
                )
                if created:
                    audit_record(
                        actor=Actor.cli(),
                        action="membership.set",
                        object_type="unit_membership",
                        object_id=f"{username}@{unit_code}",
                        after={"role": role, "demo": True},
                    )
            out[username] = {"password": password, "unit": unit_code, "role": role}
        fd = os.open(credentials_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(out, handle, ensure_ascii=False, indent=2)
    return out


def allocated_value_enter(
    *, actor: Actor, plan: Plan, target_code: str, value: float, source_document: str, note: str = ""
) -> AllocatedTargetValue:
    """Enter (or correct, as a new version) the value a higher level allocates to a target the plan states
    without one, with the document that allocates it. The office only; the write is audited.

    Raises
    ------
    PermissionDenied
        If the actor is not the office.
    TrackingInputError
        If the target states its own value, is qualitative, or the value is not a finite number in range
        (a % between 0 and 100).
    """
    import math

    from django.core.exceptions import PermissionDenied

    if not actor.roles.office:
        raise PermissionDenied("only the office enters allocated target values")
    target = next((t for _, t in plan.all_targets() if t.code == target_code), None)
    if target is None:
        raise TrackingInputError(f"no target {target_code} in the plan", "target")
    if target.value is not None or not target.quantitative or target.comparator.value == "peak_by":
        raise TrackingInputError(f"{target_code} states its own value or takes none", "value")
    if not math.isfinite(value) or (target.unit == "%" and not 0 <= value <= 100):
        raise TrackingInputError(f"{value} is not a plausible value in {target.unit or 'its unit'}", "value")
    if not source_document.strip():
        raise TrackingInputError("name the document that allocates the value", "source_document")
    with transaction.atomic():
        previous = (
            AllocatedTargetValue.objects.select_for_update()
            .filter(plan_code=plan.plan.id, target_code=target_code)
            .order_by("-version")
            .first()
        )
        row = AllocatedTargetValue.objects.create(
            plan_code=plan.plan.id,
            target_code=target_code,
            version=(previous.version + 1) if previous else 1,
            value=value,
            source_document=source_document.strip(),
            note=note,
            entered_by=actor.user,
            entered_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="allocate",
            object_type="target",
            object_id=f"{plan.plan.id}/{target_code}",
            before={"value": previous.value, "source": previous.source_document} if previous else None,
            after={"value": value, "source": row.source_document},
        )
    return row
