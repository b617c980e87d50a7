"""Admin -> Webhooks: subscriptions, their secret, and the delivery log with redeliver."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amity.integrations import webhooks
from amity.integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from amity.org.views import admin_required

LOG_SIZE = 50
SECRET_SESSION_KEY = "webhook_new_secret"  # noqa: S105 - a session key, not a secret


class WebhookForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    url = forms.CharField(label=gettext_lazy("Target URL"), max_length=2000,
                          widget=forms.URLInput(attrs={"placeholder": "https://"}))
    event_kinds = forms.CharField(
        label=gettext_lazy("Event kinds"), required=False, max_length=5000,
        help_text=gettext_lazy("Separated by commas or spaces, e.g. created, sms.sent. "
                               "Leave empty for every kind."))
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)
    allow_private_network = forms.BooleanField(
        label=gettext_lazy("Allow private network"), required=False,
        help_text=gettext_lazy("Let this target be on a loopback or private address (an "
                               "internal service). Only for targets you trust."))

    @classmethod
    def for_subscription(cls, subscription: WebhookSubscription) -> "WebhookForm":
        return cls(initial={
            "name": subscription.name, "url": subscription.url,
            "event_kinds": ", ".join(subscription.event_kinds),
            "is_active": subscription.is_active,
            "allow_private_network": subscription.allow_private_network})


def _save(request, subscription: WebhookSubscription, form: WebhookForm) -> str | None:
    """Save through the service; errors land on the form's fields. Returns a new secret."""
    try:
        _subscription, secret = webhooks.subscription_save(
            actor=request.user, subscription=subscription, data=form.cleaned_data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    return secret or ""


@admin_required
def webhook_list(request):
    latest = WebhookDelivery.objects.filter(subscription=OuterRef("pk")).order_by(
        "-created_at", "-id")
    subscriptions = list(WebhookSubscription.objects.annotate(
        last_status=Subquery(latest.values("status")[:1]),
        last_at=Subquery(latest.values("created_at")[:1])))
    for subscription in subscriptions:
        subscription.last_status_label = (DeliveryStatus(subscription.last_status).label
                                          if subscription.last_status else "")
    return render(request, "integrations/webhook_list.html",
                  {"subscriptions": subscriptions, "title": _("Webhooks")})


@admin_required
def webhook_create(request):
    subscription = WebhookSubscription()
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = _save(request, subscription, form)
        if secret is not None:
            messages.success(request, _("The webhook was created."))
            return _show_secret_once(request, subscription, secret)
    return render(request, "integrations/webhook_form.html",
                  {"form": form, "title": _("New webhook")},
                  status=422 if form.errors else 200)


def _show_secret_once(request, subscription: WebhookSubscription, secret: str):
    """Redirect to the page, which shows the secret once (a reload does not repeat the
    POST, and the secret is gone from the session after one showing)."""
    request.session[SECRET_SESSION_KEY] = [subscription.pk, secret]
    return redirect("webhook_detail", pk=subscription.pk)


def _detail(request, subscription: WebhookSubscription, *, form=None, status=200):
    shown = request.session.pop(SECRET_SESSION_KEY, None)
    new_secret = shown[1] if shown and shown[0] == subscription.pk else None
    deliveries = subscription.deliveries.prefetch_related("attempt_log")[:LOG_SIZE]
    return render(request, "integrations/webhook_detail.html", {
        "subscription": subscription, "title": subscription.name, "deliveries": deliveries,
        "form": form or WebhookForm.for_subscription(subscription), "new_secret": new_secret,
    }, status=status)


@admin_required
def webhook_detail(request, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    if request.method != "POST":
        return _detail(request, subscription)
    form = WebhookForm(request.POST)
    if form.is_valid() and _save(request, subscription, form) is not None:
        messages.success(request, _("The webhook was saved."))
        return redirect("webhook_detail", pk=subscription.pk)
    subscription.refresh_from_db()
    return _detail(request, subscription, form=form, status=422)


@admin_required
@require_POST
def webhook_rotate_secret(request, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    secret = webhooks.subscription_rotate_secret(actor=request.user, subscription=subscription)
    messages.success(request, _("The signing secret was replaced; update the receiver."))
    return _show_secret_once(request, subscription, secret)


@admin_required
@require_POST
def webhook_delete(request, pk: int):
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    webhooks.subscription_delete(actor=request.user, subscription=subscription)
    messages.success(request, _("The webhook was removed."))
    return redirect("webhook_list")


@admin_required
@require_POST
def webhook_redeliver(request, pk: int):
    delivery = get_object_or_404(WebhookDelivery.objects.filter(
        subscription__isnull=False).select_related("subscription"), pk=pk)
    webhooks.delivery_redeliver(actor=request.user, delivery=delivery)
    subscription = delivery.subscription
    if request.htmx:
        deliveries = subscription.deliveries.prefetch_related("attempt_log")[:LOG_SIZE]
        return render(request, "integrations/_webhook_log.html",
                      {"subscription": subscription, "deliveries": deliveries})
    messages.success(request, _("The delivery was queued again."))
    return redirect("webhook_detail", pk=subscription.pk)


urlpatterns = [
    path("admin/webhooks/", webhook_list, name="webhook_list"),
    path("admin/webhooks/new/", webhook_create, name="webhook_create"),
    path("admin/webhooks/<int:pk>/", webhook_detail, name="webhook_detail"),
    path("admin/webhooks/<int:pk>/rotate-secret/", webhook_rotate_secret,
         name="webhook_rotate_secret"),
    path("admin/webhooks/<int:pk>/delete/", webhook_delete, name="webhook_delete"),
    path("admin/webhooks/deliveries/<int:pk>/redeliver/", webhook_redeliver,
         name="webhook_redeliver"),
]
