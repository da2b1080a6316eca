"""Inventory API: runs and their results."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from carbonpeak.web.inventory import selectors
from carbonpeak.web.tracking.registry import computed_indicator_values

router = Router(tags=["inventory"])


@router.get("/runs/latest", response=dict[str, Any], summary="The latest inventory run's results")
def latest(request: HttpRequest) -> dict[str, Any]:
    run = selectors.run_get()
    if run is None:
        raise Http404("no inventory run")
    return {
        "run": run.pk,
        "dataset": run.dataset.name,
        "synthetic": run.dataset.synthetic,
        "table_versions": run.table_versions,
        **run.document,
    }


@router.get(
    "/indicators", response=dict[str, list[dict[str, Any]]], summary="Plan indicators the inventory computes"
)
def indicators(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    return computed_indicator_values()
