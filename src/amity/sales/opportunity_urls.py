"""The pages of opportunities, their boards, and the pipeline and exchange-rate admin."""

from amity.sales import exchange_rate_views, opportunity_views, pipeline_views

urlpatterns = [
    *opportunity_views.urlpatterns,
    *pipeline_views.urlpatterns,
    *exchange_rate_views.urlpatterns,
]
