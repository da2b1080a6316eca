"""Tracking pages: targets with statuses, a target's history and forms, the approval queue, overdue list.

Public pages show published data only (computed values and approved reported values). Writes need a
login, go through :mod:`carbonpeak.web.tracking.services` (which checks the unit) and are audited.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carbonpeak.core.plan import Plan
from carbonpeak.web.plan.models import PlanVersion
from carbonpeak.web.tracking import selectors, services
from carbonpeak.web.tracking.forms import (
    AllocateForm,
    MilestoneForm,
    MilestoneReviewForm,
    ReportForm,
    ReviewForm,
)
from carbonpeak.web.tracking.models import ReportedValue
from carbonpeak.web.tracking.roles import roles_for


def _plan() -> tuple[PlanVersion, Plan]:
    found = selectors.current_plan()
    if found is None:
        raise Http404("no plan is loaded")
    return found


def _target(plan: Plan, code: str) -> selectors.TargetInfo:
    target = selectors.target_get(plan=plan, code=code)
    if target is None:
        raise Http404(code)
    return target


@require_GET
def targets(request: HttpRequest) -> HttpResponse:
    """Every target with its status, filtered by action, lead unit and status."""
    version, plan = _plan()
    filters = selectors.TargetFilters(
        action=request.GET.get("action", ""),
        unit=request.GET.get("unit", ""),
        status=request.GET.get("status", ""),
    )
    if filters.status and filters.status not in selectors.STATUS_ORDER:
        raise Http404("unknown status")
    rows = selectors.target_rows(filters=filters, plan=plan)
    roles = roles_for(request.user)
    return render(
        request,
        "tracking/list.html",
        {
            "version": version,
            "rows": rows,
            "filters": filters,
            "counts": selectors.status_counts(rows),
            "statuses": selectors.STATUS_ORDER,
            "actions": selectors.counts_by_action(rows=[], plan_version=version),
            "units": selectors.unit_names(plan_version=version),
            "roles": roles,
        },
    )


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """One target: status and reason, published values, every version the user may read, the forms."""
    version, plan = _plan()
    target = _target(plan, code)
    roles = roles_for(request.user)
    rows = [r for r in selectors.target_rows(plan=plan) if r.code == code]
    row = rows[0] if rows else None
    history = selectors.visible_history(plan_code=plan.plan.id, target=target, roles=roles)
    current = selectors.current_versions(sorted(history, key=lambda r: (r.period_end, r.version)))
    pending = [r for r in current.values() if r.state == ReportedValue.SUBMITTED]
    milestones = selectors.visible_milestones(plan_code=plan.plan.id, target=target, roles=roles)
    latest_milestones = list(
        selectors.current_milestones(sorted(milestones, key=lambda m: (m.number, m.version))).values()
    )
    return render(
        request,
        "tracking/detail.html",
        {
            "version": version,
            "target": target,
            "row": row,
            "chart": selectors.target_chart(row) if row else None,
            "history": history,
            "pending": pending,
            "units": selectors.unit_names(plan_version=version),
            "can_report": target.reportable and roles.can_report(target.lead_unit),
            "can_set_milestones": target.kind == selectors.MILESTONES and roles.can_report(target.lead_unit),
            "milestones": milestones,
            "latest_milestones": latest_milestones,
            "milestone_form": MilestoneForm(),
            "can_review": roles.can_review,
            "can_read_evidence": roles.can_read_drafts(target.lead_unit) or roles.analyst,
            "form": ReportForm(),
            "roles": roles,
            "can_allocate": roles.office and target.value is None and target.comparator not in NO_VALUE,
            "allocate_form": AllocateForm(),
        },
    )


NO_VALUE = ("qualitative", "peak_by")
"""Comparators of targets that take no value, allocated or stated."""


@login_required
@require_POST
def allocate(request: HttpRequest, code: str) -> HttpResponse:
    """Enter the value a higher level allocates to a target the plan states without one (the office)."""
    _version, plan = _plan()
    _target(plan, code)
    assert isinstance(request.user, User)
    actor = services.Actor.for_user(request.user)
    if not actor.roles.office:
        raise PermissionDenied(_("Only the office enters allocated values."))
    form = AllocateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("tracking:detail", code=code)
    try:
        services.allocated_value_enter(actor=actor, plan=plan, target_code=code, **form.cleaned_data)
    except services.TrackingInputError as exc:
        messages.error(request, f"{exc.field}: {exc}" if exc.field else str(exc))
    else:
        messages.success(request, _("Allocated value saved."))
    return redirect("tracking:detail", code=code)


@login_required
@require_POST
def report(request: HttpRequest, code: str) -> HttpResponse:
    """Save a draft of, or submit, a reported value with its evidence (the lead unit's reporter)."""
    _version, plan = _plan()
    target = _target(plan, code)
    assert isinstance(request.user, User)
    actor = services.Actor.for_user(request.user)
    if not actor.roles.can_report(target.lead_unit):
        raise PermissionDenied(_("You may not report values of this target."))
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("tracking:detail", code=code)
    upload = form.cleaned_data["evidence"]
    try:
        evidence = services.Evidence.from_upload(upload) if upload else None
        services.reported_value_save(
            actor=actor,
            target_code=code,
            year=form.cleaned_data["year"],
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
            evidence=evidence,
            submit=request.POST.get("submit") == "1",
        )
    except services.TrackingInputError as exc:
        messages.error(request, f"{exc.field}: {exc}" if exc.field else str(exc))
    else:
        if request.POST.get("submit") == "1":
            messages.success(request, _("Submitted for approval."))
        else:
            messages.success(request, _("Draft saved."))
    return redirect("tracking:detail", code=code)


@login_required
@require_POST
def review(request: HttpRequest, code: str) -> HttpResponse:
    """Approve or return a submitted value (the office)."""
    return _review(
        request,
        code,
        ReviewForm,
        lambda actor, data, approve: services.reported_value_review(
            actor=actor, target_code=code, year=data["year"], approve=approve, reason=data["reason"]
        ),
    )


def _review(
    request: HttpRequest,
    code: str,
    form_class: type[ReviewForm] | type[MilestoneReviewForm],
    decide: Callable[[services.Actor, dict[str, Any], bool], object],
) -> HttpResponse:
    """The office's decision on a submitted value or milestone: check, decide, report, go back."""
    _version, plan = _plan()
    _target(plan, code)
    assert isinstance(request.user, User)
    actor = services.Actor.for_user(request.user)
    if not actor.roles.can_review:
        raise PermissionDenied(_("Only the office approves or returns values."))
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("tracking:detail", code=code)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        decide(actor, form.cleaned_data, approve)
    except services.TrackingInputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Approved and published.") if approve else _("Returned to the unit."))
    if request.POST.get("next") == "queue":
        return redirect("tracking:queue")
    return redirect("tracking:detail", code=code)


def _form_errors(form: AllocateForm | MilestoneForm | MilestoneReviewForm | ReportForm | ReviewForm) -> str:
    return "; ".join(f"{f}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items())


@login_required
@require_POST
def milestone(request: HttpRequest, code: str) -> HttpResponse:
    """Submit a new milestone, or a new version of one, for approval (the lead unit's reporter)."""
    _version, plan = _plan()
    target = _target(plan, code)
    assert isinstance(request.user, User)
    actor = services.Actor.for_user(request.user)
    if not actor.roles.can_report(target.lead_unit):
        raise PermissionDenied(_("You may not set milestones of this target."))
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("tracking:detail", code=code)
    try:
        services.milestone_save(
            actor=actor,
            target_code=code,
            number=form.cleaned_data["number"],
            name=form.cleaned_data["name"],
            due=form.cleaned_data["due"],
            done=form.cleaned_data["done"],
        )
    except services.TrackingInputError as exc:
        messages.error(request, f"{exc.field}: {exc}" if exc.field else str(exc))
    else:
        messages.success(request, _("Submitted for approval."))
    return redirect("tracking:detail", code=code)


@login_required
@require_POST
def milestone_review(request: HttpRequest, code: str) -> HttpResponse:
    """Approve or return a submitted milestone (the office)."""
    return _review(
        request,
        code,
        MilestoneReviewForm,
        lambda actor, data, approve: services.milestone_review(
            actor=actor, target_code=code, number=data["number"], approve=approve, reason=data["reason"]
        ),
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Values awaiting the office's decision."""
    if not roles_for(request.user).can_review:
        raise PermissionDenied(_("Only the office sees the approval queue."))
    version, plan = _plan()
    return render(
        request,
        "tracking/queue.html",
        {
            "version": version,
            "pending": selectors.approval_queue(plan_code=plan.plan.id),
            "pending_milestones": selectors.milestone_queue(plan_code=plan.plan.id),
            "units": selectors.unit_names(plan_version=version),
        },
    )


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """Reports past their due date (units see their own; the office and analysts see all)."""
    roles = roles_for(request.user)
    if not roles.internal:
        raise PermissionDenied(_("The overdue list is for the office, analysts and responsible units."))
    version, plan = _plan()
    items = selectors.overdue_reports(plan=plan)
    if not (roles.office or roles.analyst):
        items = [i for i in items if i.target.lead_unit in roles.units]
    return render(
        request,
        "tracking/overdue.html",
        {"version": version, "items": items, "units": selectors.unit_names(plan_version=version)},
    )


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    """The audit log of every tracking write (the office)."""
    if not roles_for(request.user).office:
        raise PermissionDenied(_("Only the office reads the audit log."))
    return render(request, "tracking/audit.html", {"entries": selectors.audit_log()})


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Download an evidence file: the office and the unit's members; analysts for approved values."""
    row = ReportedValue.objects.filter(pk=pk).first()
    if row is None or not row.evidence_path:
        raise Http404("no such evidence")
    roles = roles_for(request.user)
    allowed = roles.can_read_drafts(row.unit_code or None) or (
        roles.analyst and row.state == ReportedValue.APPROVED
    )
    if not allowed:
        raise PermissionDenied(_("You may not read this evidence."))
    path = Path(settings.DATA_DIR) / row.evidence_path
    if not path.is_file():
        raise Http404("the evidence file is missing")
    return FileResponse(path.open("rb"), as_attachment=True, filename=row.evidence_name)


def _assessment_year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if not raw:
        return timezone.localdate().year - 1
    if not raw.isdigit() or not 1990 <= int(raw) <= 2100:
        raise Http404("year")
    return int(raw)


@login_required
@require_GET
def scorecards(request: HttpRequest) -> HttpResponse:
    """Unit scorecards of a year (the office and analysts see every unit, unit members their own)."""
    roles = roles_for(request.user)
    if not roles.internal:
        raise PermissionDenied(_("Scorecards are for the office, analysts and responsible units."))
    year = _assessment_year(request)
    document = selectors.assessment_document(year=year)
    if document is None:
        raise Http404("no plan is loaded")
    units = document["units"]
    if not (roles.office or roles.analyst):
        units = [u for u in units if u["code"] in roles.units]
    return render(
        request,
        "tracking/scorecards.html",
        {
            "year": year,
            "as_of": selectors.assessment_as_of(year),
            "document": document,
            "units": units,
            "can_export": roles.office or roles.analyst,
        },
    )


@login_required
@require_GET
def annual_report(request: HttpRequest, year: int, fmt: str) -> FileResponse:
    """The annual assessment report as PDF or Excel (the office and analysts)."""
    import tempfile

    from carbonpeak.io.report import write_annual_report

    roles = roles_for(request.user)
    if not (roles.office or roles.analyst):
        raise PermissionDenied(_("The annual report is for the office and analysts."))
    if not 1990 <= year <= 2100 or fmt not in ("pdf", "xlsx"):
        raise Http404("year or format")
    document = selectors.assessment_document(year=year)
    if document is None:
        raise Http404("no plan is loaded")
    with tempfile.TemporaryDirectory() as scratch:  # the writers take a path; nothing is kept
        path = Path(scratch) / f"carbonpeak-assessment-{year}.{fmt}"
        write_annual_report(document, path)
        content = path.read_bytes()
    import io

    return FileResponse(io.BytesIO(content), as_attachment=True, filename=path.name)
