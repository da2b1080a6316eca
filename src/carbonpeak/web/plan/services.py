"""Write services for plans."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from carbonpeak.core.plan import Plan
from carbonpeak.core.plan.validate import plan_document
from carbonpeak.web.plan.models import (
    PlanAction,
    PlanGoal,
    PlanIndicator,
    PlanTarget,
    PlanTask,
    PlanTaskUnit,
    PlanUnit,
    PlanVersion,
)


@dataclass(frozen=True)
class PlanLoadResult:
    """The stored version, and whether this load created it."""

    version: PlanVersion
    created: bool


def plan_sha256(plan: Plan) -> str:
    """Hash of the plan's canonical document: equal plans hash equal, whatever file they came from."""
    canonical = json.dumps(plan_document(plan), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def plan_load(*, plan: Plan, source_file: str = "", loaded_by: User | None = None) -> PlanLoadResult:
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
