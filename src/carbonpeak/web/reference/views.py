"""Public pages listing the reference data library."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carbonpeak.web.reference import selectors


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """List the latest version of every table with its evidence breakdown."""
    return render(request, "reference/index.html", {"summary": selectors.library_summary()})


@require_GET
def table_detail(request: HttpRequest, name: str) -> HttpResponse:
    """Show one table's rows; ``?version=`` picks an older version."""
    versions = selectors.table_versions(name=name)
    if not versions:
        raise Http404(name)
    wanted = request.GET.get("version")
    chosen = next((v for v in versions if v.version == wanted), None) if wanted else versions[0]
    if chosen is None:
        raise Http404(f"{name} {wanted}")
    rows = selectors.table_rows(table_version=chosen)
    columns = list(rows[0].data) if rows else []
    return render(
        request,
        "reference/table.html",
        {
            "table": chosen,
            "versions": versions,
            "columns": columns,
            "rows": [[(c, row.data.get(c, "")) for c in columns] for row in rows],
        },
    )
