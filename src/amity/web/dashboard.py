"""The home page: what each role needs first."""

from django.db.models import Count
from django.utils.translation import gettext as _

from amity.customers.models import Account, Contact

RECENT = 8
# Counting every visible record on each visit costs a scan of up to a million rows for a
# manager; counting stops here and the page shows "1,000+" (a rep's rows lie apart: each is
# a page read).
COUNT_CAP = 1_000


def panels_for(user) -> list[dict]:
    """Panels for the home page; what they hold depends on the user's role."""
    role = user.role.key if user.role else ""
    panels = []
    if user.is_administrator:
        panels.append(_organisation_panel())
    mine = role in {"sales_rep", "service_agent", "partner_user"}
    for model, title_mine, title_all in (
        (Account, _("My accounts"), _("Recently changed accounts")),
        (Contact, _("My contacts"), _("Recently changed contacts")),
    ):
        records = model.objects.visible_to(user)
        if mine:
            records = records.filter(owner=user)
        count = capped_count(records)
        panels.append({
            "title": title_mine if mine else title_all,
            "records": list(records.order_by("-updated_at", "-id")[:RECENT]),
            "count": min(count, COUNT_CAP), "more": count > COUNT_CAP,
        })
    return panels


def capped_count(records) -> int:
    """How many records there are, counted up to COUNT_CAP + 1 at most."""
    return records.order_by().values("pk")[:COUNT_CAP + 1].count()


def _organisation_panel() -> dict:
    from amity.org.models import Role, Team, User

    by_role = Role.objects.annotate(n=Count("users")).filter(n__gt=0)
    return {
        "title": _("Organisation"),
        "facts": [
            (_("Active users"), User.objects.filter(is_active=True).count()),
            (_("Teams"), Team.objects.count()),
            *[(str(role), role.n) for role in by_role],
        ],
    }
