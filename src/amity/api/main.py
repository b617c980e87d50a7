"""The Amity API at /api/v1/: one NinjaAPI, one error format, routers from each app."""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from amity.api.auth import TokenAuth, session_auth
from amity.api.errors import error_body, field_errors, pydantic_errors
from amity.core.services import StaleRecord
from amity.web.errors import database_unavailable

logger = logging.getLogger("amity.api")

api = NinjaAPI(
    title="Amity API",
    version="1",
    description="Every list is cursor-paginated; writes accept an Idempotency-Key header; "
    "reads return an ETag that PATCH and DELETE take as If-Match.",
    auth=[TokenAuth(), session_auth],
    urls_namespace="api",
)


def _reply(request, status: int, message: str, **kwargs):
    return api.create_response(request, error_body(status, message, **kwargs), status=status)


@api.exception_handler(SchemaError)
def on_schema_error(request, exc: SchemaError):
    return _reply(request, 422, _("Some fields are not valid."), errors=pydantic_errors(exc.errors))


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = field_errors(exc.message_dict) if hasattr(exc, "error_dict") else [
        {"field": "", "message": str(m)} for m in exc.messages
    ]
    return _reply(request, 422, _("Some fields are not valid."), errors=errors)


# Failures whose answer is a fixed status and message.
FIXED_ANSWERS = (
    (AuthenticationError, 401, gettext_lazy("Sign in or send a valid API token.")),
    (PermissionDenied, 403, gettext_lazy("Your role does not allow this.")),
    (Http404, 404, gettext_lazy("Not found.")),
    (ObjectDoesNotExist, 404, gettext_lazy("Not found.")),
    (StaleRecord, 412,
     gettext_lazy("The record was changed since you loaded it; reload and retry.")),
)
for exc_class, status, message in FIXED_ANSWERS:
    api.add_exception_handler(
        exc_class, lambda request, exc, status=status, message=message:
        _reply(request, status, str(message)),
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    code = "csrf_failed" if "CSRF" in str(exc) else None
    return _reply(request, exc.status_code, str(exc), code=code)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_error(request, exc: Exception):
    # Token auth and every endpoint query the database: when it is down, say so (503,
    # "unavailable", Retry-After) like the UI does, rather than a generic 500.
    logger.error("Database error on %s %s: %s", request.method, request.path, exc)
    return database_unavailable(request)


@api.exception_handler(Exception)
def on_crash(request, exc: Exception):
    logger.exception("API error on %s %s", request.method, request.path)
    return _reply(request, 500, _("Something went wrong on our side."))


def _register_routers() -> None:
    from amity.activities.api import activities_router, tasks_router
    from amity.automation.api import router as automation_router
    from amity.collaboration.api import router as notifications_router
    from amity.core.api import router as custom_fields_router
    from amity.customers.api import accounts_router, contacts_router
    from amity.customers.import_api import router as imports_router
    from amity.integrations.mail_api import emails_router, templates_router
    from amity.integrations.mail_in_api import router as inbound_mail_router
    from amity.integrations.sms_api import router as sms_router
    from amity.integrations.webhook_api import router as webhooks_router
    from amity.org.api import router as org_router
    from amity.sales.catalog_api import price_books_router, products_router
    from amity.sales.forecast_api import forecasts_router, kpis_router, quotas_router
    from amity.sales.lead_api import leads_router
    from amity.sales.line_items_api import configurator_router, lines_router
    from amity.sales.opportunity_api import pipelines_router
    from amity.sales.opportunity_api import router as opportunities_router
    from amity.sales.order_api import router as orders_router
    from amity.sales.quote_api import router as quotes_router
    from amity.sales.routing_api import router as lead_routing_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/contacts", contacts_router)
    api.add_router("/imports", imports_router)
    api.add_router("/org", org_router)
    api.add_router("/custom-fields", custom_fields_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/webhooks", webhooks_router)
    api.add_router("/sms", sms_router)
    api.add_router("/inbound-mail", inbound_mail_router)
    api.add_router("/emails", emails_router)
    api.add_router("/email-templates", templates_router)
    api.add_router("/tasks", tasks_router)
    api.add_router("/activities", activities_router)
    api.add_router("/automation", automation_router)
    api.add_router("/products", products_router)
    api.add_router("/price-books", price_books_router)
    api.add_router("/opportunities", lines_router)
    api.add_router("/configurator", configurator_router)
    api.add_router("/opportunities", opportunities_router)
    api.add_router("/pipelines", pipelines_router)
    api.add_router("/quotes", quotes_router)
    api.add_router("/orders", orders_router)
    api.add_router("/leads", leads_router)
    api.add_router("/lead-routing", lead_routing_router)
    api.add_router("/forecasts", forecasts_router)
    api.add_router("/quotas", quotas_router)
    api.add_router("/kpis", kpis_router)


_register_routers()
