from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from amity.customers import detail_views, duplicate_views, import_views, merge_views
from amity.customers.filters import AccountFilter, ContactFilter
from amity.customers.forms import AccountForm, ConsentForm, ContactForm
from amity.customers.merge import merged_ids
from amity.customers.models import Account, Contact
from amity.customers.selectors import likely_duplicate_accounts, likely_duplicate_contacts
from amity.customers.services import consent_record
from amity.customers.tables import AccountTable, ContactTable
from amity.web.records import RecordUI, record_urls

ACCOUNTS = RecordUI(
    model=Account, form=AccountForm, table=AccountTable, filterset=AccountFilter,
    sorts={"name": "name", "updated_at": "updated_at"},
    panels=("customers/_addresses.html", "customers/_tags.html",
            "customers/_account_contacts.html", "activities/_open_activities.html",
            "customers/_merges.html", "sales/_customer_sales.html",
            "sales/opportunities/_record_opportunities.html"),
    likely_duplicates=likely_duplicate_accounts,
    edit_actions=((_("Merge"), "account_merge"),),
    timeline_also=merged_ids,
)
CONTACTS = RecordUI(
    model=Contact, form=ContactForm, table=ContactTable, filterset=ContactFilter,
    sorts={"name": "family_name", "updated_at": "updated_at"}, related=("account",),
    panels=("customers/_contact_points.html", "customers/_memberships.html",
            "customers/_addresses.html", "customers/_social_handles.html", "customers/_tags.html",
            "customers/_consents.html", "activities/_open_activities.html",
            "integrations/_sms.html", "integrations/_contact_email.html",
            "customers/_merges.html", "sales/_customer_sales.html",
            "sales/opportunities/_record_opportunities.html"),
    likely_duplicates=likely_duplicate_contacts,
    create_actions=((_("Import"), "import_list"),),
    edit_actions=((_("Merge"), "contact_merge"),),
    timeline_also=merged_ids,
)


@login_required
@require_POST
def record_consent(request, pk: int):
    """Record a consent statement from the contact page; answers the refreshed panel."""
    contact = get_object_or_404(Contact.objects.editable_by(request.user), pk=pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        consent_record(contact=contact, user=request.user, **form.cleaned_data)
        form = ConsentForm()
    return render(request, "customers/_consents.html",
                  {"record": contact, "can_edit": True, "consent_form": form},
                  status=422 if form.errors else 200)


urlpatterns = [
    *duplicate_views.urlpatterns,
    *detail_views.urlpatterns,
    *record_urls(ACCOUNTS, "accounts"),
    *record_urls(CONTACTS, "contacts"),
    path("contacts/<int:pk>/consents/", record_consent, name="contact_consent"),
    *import_views.urlpatterns,
    *merge_views.urlpatterns,
]
