"""The areas of the product and what each offers, filtered by the user's role."""

from dataclasses import dataclass, field, replace

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amity.core.access import grant_for


@dataclass(frozen=True)
class Item:
    label: Promise
    url_name: str
    kind: str | None = None  # record kind whose view grant the item needs
    admin_only: bool = False
    needs_create: bool = False  # the item needs the create grant on `kind`, not just view
    group: Promise | None = None  # a heading the menu shows above it, in long areas

    def allowed(self, user) -> bool:
        if self.admin_only:
            return user.is_administrator
        if self.kind is None:
            return True
        grant = grant_for(user, self.kind)
        return grant.can_create if self.needs_create else grant.view_scope != "none"


@dataclass(frozen=True)
class Area:
    key: str
    label: Promise
    items: tuple[Item, ...] = field(default_factory=tuple)


ACCOUNTS = Item(_("Accounts"), "account_list", "customers.account")
CONTACTS = Item(_("Contacts"), "contact_list", "customers.contact")
IMPORT = Item(_("Import"), "import_list", "customers.contact", needs_create=True)
DUPLICATES = Item(_("Duplicates"), "contact_duplicates", "customers.contact")
LEADS = Item(_("Leads"), "lead_list", "sales.lead")
MY_TASKS = Item(_("My tasks"), "task_mine", "activities.task")
PRODUCTS = Item(_("Products"), "product_list", "sales.opportunity")
CONFIGURATOR = Item(_("Configurator"), "configurator", "sales.opportunity")
OPPORTUNITIES = Item(_("Opportunities"), "opportunity_list", "sales.opportunity")
BOARD = Item(_("Pipeline board"), "opportunity_board", "sales.opportunity")
AGENDA = Item(_("Agenda"), "activity_agenda", "activities.task")
CALENDAR = Item(_("Calendar"), "activity_calendar", "activities.task")
QUOTES = Item(_("Quotes"), "quote_list", "sales.quote")
ORDERS = Item(_("Orders"), "order_list", "sales.order")
FORECAST = Item(_("Forecast"), "forecast", "sales.opportunity")
REP_KPIS = Item(_("Rep KPIs"), "rep_kpis", "sales.opportunity")


def grouped(label: Promise, *items: Item) -> tuple[Item, ...]:
    """The items under one heading of a long area's menu."""
    return tuple(replace(item, group=label) for item in items)


AREAS = (
    Area("sales", _("Sales"), (
        *grouped(_("Customers"), ACCOUNTS, CONTACTS, LEADS, IMPORT, DUPLICATES),
        *grouped(_("Deals"), OPPORTUNITIES, BOARD, QUOTES, ORDERS),
        *grouped(_("Activities"), MY_TASKS, AGENDA, CALENDAR),
        *grouped(_("Catalogue"), PRODUCTS, CONFIGURATOR),
        *grouped(_("Forecasts and KPIs"), FORECAST, REP_KPIS),
    )),
    Area("marketing", _("Marketing"), (CONTACTS,)),
    Area("service", _("Service"), (ACCOUNTS, CONTACTS)),
    Area("analytics", _("Analytics")),
    Area("partners", _("Partners")),
    Area("admin", _("Admin"), (
        Item(_("Users"), "user_list", admin_only=True),
        Item(_("Teams"), "team_list", admin_only=True),
        Item(_("Roles"), "role_list", admin_only=True),
        Item(_("Custom fields"), "custom_field_list", admin_only=True),
        Item(_("Automation"), "rule_list", admin_only=True),
        Item(_("Lead assignment"), "lead_assignment", admin_only=True),
        Item(_("Lead scoring"), "lead_scoring", admin_only=True),
        Item(_("Recycle bin"), "recycle_bin", admin_only=True),
        Item(_("Webhooks"), "webhook_list", admin_only=True),
        Item(_("SMS"), "sms_list", admin_only=True),
        Item(_("SMS templates"), "sms_template_list", admin_only=True),
        Item(_("Mailboxes"), "mailbox_list", admin_only=True),
        Item(_("Background tasks"), "job_list", admin_only=True),
        Item(_("Email templates"), "email_template_list", admin_only=True),
        Item(_("Email sending"), "email_sending", admin_only=True),
        Item(_("Outbound email"), "outbound_email_list", admin_only=True),
        Item(_("Price books"), "price_book_list", admin_only=True),
        Item(_("Configuration rules"), "configuration_rule_list", admin_only=True),
        Item(_("Pipelines"), "pipeline_list", admin_only=True),
        Item(_("Exchange rates"), "exchange_rate_list", admin_only=True),
        Item(_("Lead forms"), "lead_form_list", admin_only=True),
        Item(_("Qualification checklist"), "lead_checklist_items", admin_only=True),
    )),
)


def areas_for(user) -> list[dict]:
    """The areas with the items this user may open; the Admin area only for admins."""
    result = []
    for area in AREAS:
        items = [{"label": i.label, "url": reverse(i.url_name), "group": i.group}
                 for i in area.items if i.allowed(user)]
        if area.key == "admin" and not items:
            continue
        result.append({"key": area.key, "label": area.label, "items": items,
                       "url": reverse("area", args=[area.key])})
    return result


def area(key: str) -> Area | None:
    return next((a for a in AREAS if a.key == key), None)
