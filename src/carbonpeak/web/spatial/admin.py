from django.contrib import admin

from carbonpeak.web.spatial.models import MapFeature, PopulationStat, Vehicle

admin.site.register(MapFeature)
admin.site.register(Vehicle)
admin.site.register(PopulationStat)
