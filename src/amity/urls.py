from django.contrib.auth import views as auth_views
from django.urls import include, path

from amity.api.main import api
from amity.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health", views.health, name="health"),
    path("search/", views.search, name="search"),
    path("areas/<slug:key>/", views.area_page, name="area"),
    path("language/", views.switch_language, name="switch_language"),
    path("settings/", views.preferences, name="preferences"),
    path("auth/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("auth/", include("django.contrib.auth.urls")),
    path("api/v1/", api.urls),
    path("", include("amity.customers.views")),
    path("", include("amity.activities.views")),
    path("", include("amity.automation.urls")),
    path("", include("amity.org.urls")),
    path("", include("amity.integrations.urls")),
    path("", include("amity.collaboration.urls")),
    path("", include("amity.integrations.channel_urls")),
    path("", include("amity.integrations.mail_in_urls")),
    path("", include("amity.core.jobs.urls")),
    path("", include("amity.sales.catalog_urls")),
    path("", include("amity.sales.opportunity_urls")),
    path("", include("amity.sales.quote_views")),
    path("", include("amity.sales.order_views")),
    path("", include("amity.sales.lead_views")),
    path("", include("amity.sales.routing_views")),
    path("", include("amity.sales.forecast_views")),
]

handler404 = "amity.web.errors.not_found"
handler500 = "amity.web.errors.server_error"
