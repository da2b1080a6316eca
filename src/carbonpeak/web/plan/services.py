"""Write services for plans."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from carbonpeak.core.errors import CarbonpeakError
from carbonpeak.core.plan import Plan
from carbonpeak.core.plan.validate import plan_document
from carbonpeak.web.plan.models import (
    CurrentPlanChoice,
    PlanAction,
    PlanGoal,
    PlanIndicator,
    PlanTarget,
    PlanTask,
    PlanTaskUnit,
    PlanUnit,
    PlanVersion,
)


class PlanNotFoundError(CarbonpeakError):
    """No stored plan (version) has the code asked for."""


@dataclass(frozen=True)
class PlanLoadResult:
    """The stored version, whether this load created it, and whether it is now the current plan."""

    version: PlanVersion
    created: bool
    current: bool = False


def _current() -> PlanVersion | None:
    choice = CurrentPlanChoice.objects.select_related("plan_version").order_by("-chosen_at", "-id").first()
    return None if choice is None else choice.plan_version


def plan_use(
    *, plan_code: str, version: int | None = None, chosen_by: User | None = None, reason: str = "plan use"
) -> PlanVersion:
    """Make a stored plan version the current plan (the latest version of ``plan_code`` by default).

    The choice is recorded with who, when and why; earlier choices are kept. Choosing the plan that is
    already current records nothing.

    Raises
    ------
    PlanNotFoundError
        If no stored version matches, naming the plans that are stored.
    """
    qs = PlanVersion.objects.filter(plan_code=plan_code)
    if version is not None:
        qs = qs.filter(version=version)
    chosen = qs.order_by("-version").first()
    if chosen is None:
        stored = sorted(set(PlanVersion.objects.values_list("plan_code", flat=True)))
        what = f"{plan_code} version {version}" if version is not None else plan_code
        known = ", ".join(stored) if stored else "none; load one with 'carbonpeak plan load FILE'"
        raise PlanNotFoundError(f"no stored plan {what}; stored plans: {known}")
    with transaction.atomic():
        current = _current()
        if current is None or current.pk != chosen.pk:
            CurrentPlanChoice.objects.create(
                plan_version=chosen, chosen_at=timezone.now(), chosen_by=chosen_by, reason=reason
            )
    return chosen


def plan_load(
    *, plan: Plan, source_file: str = "", loaded_by: User | None = None, make_current: bool | None = None
) -> PlanLoadResult:
    """Store a plan (:func:`plan_store`) and decide whether it becomes the current plan.

    With ``make_current=None`` (the default) the stored version becomes current when no plan is current
    yet, or when it is a new version of the current plan; loading another district's plan never switches
    the platform silently (``carbonpeak plan use`` does). ``True`` always makes it current, ``False`` never.
    """
    stored = plan_store(plan=plan, source_file=source_file, loaded_by=loaded_by)
    current = _current()
    if make_current is None:
        make_current = current is None or (stored.created and current.plan_code == stored.version.plan_code)
    if make_current:
        reason = "first plan loaded" if current is None else "plan loaded as current"
        plan_use(
            plan_code=stored.version.plan_code,
            version=stored.version.version,
            chosen_by=loaded_by,
            reason=reason,
        )
    now = _current()
    return PlanLoadResult(stored.version, stored.created, now is not None and now.pk == stored.version.pk)


def plan_sha256(plan: Plan) -> str:
    """Hash of the plan's canonical document: equal plans hash equal, whatever file they came from."""
    canonical = json.dumps(plan_document(plan), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def plan_store(*, plan: Plan, source_file: str = "", loaded_by: User | None = None) -> PlanLoadResult:
    """Store a validated plan as a new version, unless the same content is already stored.

    Loading is idempotent: the same plan (from YAML, or from its own JSON or YAML export) returns the
    stored version. A revised plan becomes version n + 1; earlier versions are kept and can be retrieved.
    Everything is written in one transaction.

    Parameters
    ----------
    plan : Plan
        A plan returned by :func:`carbonpeak.core.plan.parse_plan` (derived fields filled).
    source_file : str
        Name of the file it came from, for the record.
    loaded_by : User, optional
        Who loaded it; ``None`` for the command line.
    """
    sha = plan_sha256(plan)
    meta = plan.plan
    with transaction.atomic():
        existing = PlanVersion.objects.select_for_update().filter(plan_code=meta.id, sha256=sha).first()
        if existing is not None:
            return PlanLoadResult(existing, created=False)
        latest = PlanVersion.objects.filter(plan_code=meta.id).aggregate(n=Max("version"))["n"] or 0
        version = PlanVersion.objects.create(
            plan_code=meta.id,
            version=latest + 1,
            title_zh=meta.title_zh,
            title_en=meta.title_en,
            document_no=meta.document_no,
            district_zh=meta.district_zh,
            district_en=meta.district_en,
            synthetic=meta.synthetic,
            sha256=sha,
            document=plan_document(plan),
            source_file=source_file,
            loaded_at=timezone.now(),
            loaded_by=loaded_by,
        )
        units = {
            u.id: PlanUnit.objects.create(
                plan_version=version,
                code=u.id,
                name_zh=u.name_zh,
                name_en=u.name_en,
                kind=u.kind.value,
                collective=u.collective,
                position=i,
            )
            for i, u in enumerate(plan.units)
        }
        indicators = {
            x.code: PlanIndicator.objects.create(
                plan_version=version,
                code=x.code,
                name_zh=x.name_zh,
                name_en=x.name_en,
                unit=x.unit,
                definition=x.definition,
                method=x.method.value,
            )
            for x in plan.indicators
        }
        horizon = (meta.horizon.start, meta.horizon.end)
        targets: list[PlanTarget] = []

        def add_targets(items: list, *, task: PlanTask | None = None, goal: PlanGoal | None = None) -> None:  # type: ignore[type-arg]
            for target in items:
                first, last = target.deadline.years(horizon)
                targets.append(
                    PlanTarget(
                        plan_version=version,
                        task=task,
                        goal=goal,
                        indicator=indicators[target.indicator],
                        code=target.code,
                        clause=target.clause or "",
                        comparator=target.comparator.value,
                        quantitative=target.quantitative,
                        value=target.value,
                        unit=target.unit,
                        value_note=target.value_note,
                        baseline_year=target.baseline_year,
                        baseline_value=target.baseline_value,
                        deadline=target.deadline.text,
                        deadline_kind=target.deadline.kind,
                        deadline_first_year=first,
                        deadline_last_year=last,
                        scope=target.scope,
                        scope_en=target.scope_en,
                        quote=target.quote,
                        note=target.note,
                        position=len(targets),
                    )
                )

        for g, goal in enumerate(plan.goals):
            stored_goal = PlanGoal.objects.create(
                plan_version=version,
                code=goal.id,
                clause=goal.clause,
                period=goal.period,
                summary_zh=goal.summary_zh,
                summary_en=goal.summary_en,
                position=g,
            )
            add_targets(goal.targets, goal=stored_goal)
        for a, action in enumerate(plan.actions):
            stored_action = PlanAction.objects.create(
                plan_version=version,
                code=action.id,
                clause=action.clause,
                kind=action.kind,
                title_zh=action.title_zh,
                title_en=action.title_en,
                position=a,
            )
            for k, task in enumerate(action.tasks):
                stored_task = PlanTask.objects.create(
                    action=stored_action,
                    code=task.id,
                    clause=task.clause,
                    title_zh=task.title_zh,
                    title_en=task.title_en,
                    summary_zh=task.summary_zh,
                    summary_en=task.summary_en,
                    position=k,
                )
                PlanTaskUnit.objects.bulk_create(
                    PlanTaskUnit(
                        task=stored_task,
                        unit=units[code],
                        role=PlanTaskUnit.LEAD if u == 0 else PlanTaskUnit.CO,
                        position=u,
                    )
                    for u, code in enumerate(task.units)
                )
                add_targets(task.targets, task=stored_task)
        PlanTarget.objects.bulk_create(targets)
    return PlanLoadResult(version, created=True)
