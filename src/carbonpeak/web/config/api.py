"""The django-ninja API mounted at ``/api`` (OpenAPI schema at ``/api/openapi.json``)."""

from ninja import NinjaAPI

from carbonpeak import __version__
from carbonpeak.web.areas.api import router as areas_router
from carbonpeak.web.buildings.api import router as buildings_router
from carbonpeak.web.credits.api import router as credits_router
from carbonpeak.web.flex.api import router as flex_router
from carbonpeak.web.inventory.api import router as inventory_router
from carbonpeak.web.newbuildings.api import router as newbuildings_router
from carbonpeak.web.plan.api import router as plan_router
from carbonpeak.web.portal.api import router as portal_router
from carbonpeak.web.projection.api import router as projection_router
from carbonpeak.web.reference.api import router as reference_router
from carbonpeak.web.renewables.api import router as renewables_router
from carbonpeak.web.retrofits.api import router as retrofits_router
from carbonpeak.web.spatial.api import router as spatial_router
from carbonpeak.web.tracking.api import router as tracking_router
from carbonpeak.web.waste.api import router as waste_router

api = NinjaAPI(
    title="carbonpeak API",
    version=__version__,
    description=(
        "District carbon-peak platform. Reads are public where the data is public; writes need a login."
    ),
    urls_namespace="api",
)
api.add_router("/", portal_router)
api.add_router("/reference", reference_router)
api.add_router("/plan", plan_router)
api.add_router("/inventory", inventory_router)
api.add_router("/", buildings_router)
api.add_router("/projection", projection_router)
api.add_router("/tracking", tracking_router)
api.add_router("/renewables", renewables_router)
api.add_router("/areas", areas_router)
api.add_router("/waste", waste_router)
api.add_router("/credits", credits_router)
api.add_router("/spatial", spatial_router)
api.add_router("/flex", flex_router)
api.add_router("/newbuildings", newbuildings_router)
api.add_router("/retrofits", retrofits_router)
