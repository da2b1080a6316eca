"""Credits pages: the public district totals, and the office's methodologies and activities pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carbonpeak.web.credits import selectors, services
from carbonpeak.web.credits.models import ImportBatch, Partner
from carbonpeak.web.portal.uploads import UploadRejectedError
from carbonpeak.web.tracking.roles import roles_for


def _office(request: HttpRequest) -> None:
    if not roles_for(request.user).office:
        raise PermissionDenied(_("Only the leading-group office may do this."))


def _titles() -> dict[str, Any]:
    return {m.code: m for m in selectors.methodologies()}


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    """District totals of the carbon-credit pilot (no login)."""
    titles = _titles()
    months = selectors.monthly_by_methodology()
    by_methodology: dict[str, list[int]] = {}
    for row in months:
        pair = by_methodology.setdefault(row.methodology, [0, 0])
        pair[0] += row.issued_gco2e
        pair[1] += row.redeemed_gco2e
    context = {
        "totals": selectors.totals(),
        "months": [{"row": r, "m": titles.get(r.methodology)} for r in months],
        "by_methodology": [
            {"code": c, "m": titles.get(c), "issued": v[0], "redeemed": v[1]}
            for c, v in sorted(by_methodology.items())
        ],
        "scenarios": [
            {
                "row": s,
                "m": titles.get(s.methodology),
                "partner": Partner.objects.filter(code=s.partner).first(),
            }
            for s in selectors.top_scenarios()
        ],
    }
    return render(request, "credits/public.html", context)


@login_required
@require_GET
def methodologies(request: HttpRequest) -> HttpResponse:
    """Methodologies with their factors, sources, status and the office's approvals."""
    _office(request)
    views = selectors.methodology_views()
    rows = [{"v": v, "partners": selectors.partner_names_for(v.methodology.code)} for v in views]
    return render(
        request,
        "credits/methodologies.html",
        {"rows": rows, "table": selectors.methodology_table_version()},
    )


@login_required
@require_POST
def approve(request: HttpRequest, code: str) -> HttpResponse:
    """Record the office's approval of a methodology and credit its held activities."""
    _office(request)
    try:
        credited = services.methodology_approve(
            code=code,
            user=request.user if isinstance(request.user, User) else None,
            note=request.POST.get("note", ""),
        )
    except services.CreditsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Methodology %(code)s approved; %(n)s held activities credited.")
            % {"code": code, "n": credited},
        )
    return redirect("credits:methodologies")


@login_required
@require_http_methods(["GET", "POST"])
def activities(request: HttpRequest) -> HttpResponse:
    """Refused and held activities with their reasons, the latest imports, and a file upload."""
    _office(request)
    errors: list[str] = []
    partners = list(Partner.objects.filter(active=True))
    if request.method == "POST":
        upload = request.FILES.get("file")
        partner = next((p for p in partners if p.code == request.POST.get("partner")), None)
        if upload is None or partner is None:
            errors.append(_("Choose a partner and a file."))
        else:
            try:
                outcome = services.activity_upload_import(
                    partner=partner, filename=upload.name or "upload.csv", content=upload.read()
                )
            except UploadRejectedError as exc:
                errors.append(str(exc))
            else:
                errors = [str(e) for e in outcome.errors]
                if not errors:
                    messages.success(
                        request,
                        _(
                            "%(file)s: %(credited)s credited, %(held)s held, %(refused)s refused, "
                            "%(duplicates)s already received"
                        )
                        % {
                            "file": upload.name,
                            "credited": outcome.credited,
                            "held": outcome.held,
                            "refused": outcome.refused,
                            "duplicates": outcome.duplicates,
                        },
                    )
                    return redirect("credits:activities")
    titles = _titles()
    refused = [{"a": a, "m": titles.get(a.methodology)} for a in selectors.refused_activities()]
    held = [{"row": h, "m": titles.get(h.methodology)} for h in selectors.held_summary()]
    return render(
        request,
        "credits/activities.html",
        {
            "refused": refused,
            "refused_total": selectors.refused_count(),
            "held": held,
            "batches": ImportBatch.objects.select_related("partner")[:20],
            "partners": partners,
            "errors": errors,
        },
    )
