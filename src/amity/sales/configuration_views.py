"""Configuration rules (catalogue editors) and the configurator page, which checks and
prices a selection live and can replace an opportunity's lines with it."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amity.sales import catalog_services as catalog
from amity.sales import configuration_rules as rules
from amity.sales import line_items
from amity.sales.catalog_forms import MAX_ROWS, RuleForm, SelectionRowForm
from amity.sales.catalog_views import add_errors, catalog_editor, catalog_reader
from amity.sales.configuration_explain import describe
from amity.sales.configurator import configure
from amity.sales.models import Opportunity


@catalog_editor
def rule_list(request):
    found = rules.rules_visible(request.user)
    return render(request, "sales/catalog/rule_list.html", {
        "rules": [(rule, describe(rule)) for rule in found], "title": _("Configuration rules")})


@catalog_editor
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(rules.rules_visible(request.user), pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule,
                    products=catalog.products_visible(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            rules.rule_save(user=request.user, rule=rule, data=form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("configuration_rule_list")
    return render(request, "sales/catalog/rule_form.html", {
        "form": form, "rule": rule, "title": str(rule) if rule else _("New rule")},
        status=422 if form.errors else 200)


@catalog_editor
@require_POST
def rule_delete(request, pk: int):
    rules.rule_delete(user=request.user, rule=get_object_or_404(rules.rules_visible(request.user),
                                                                pk=pk))
    messages.success(request, _("Rule deleted."))
    return redirect("configuration_rule_list")


def _opportunity(request) -> Opportunity | None:
    pk = request.GET.get("opportunity") or request.POST.get("opportunity")
    if not pk:
        return None
    if not str(pk).isdigit() or len(str(pk)) > 18:
        raise ValidationError("opportunity")
    return get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)


def _rows(request, opportunity: Opportunity | None):
    products = catalog.products_visible(request.user)
    formset_class = formset_factory(SelectionRowForm, extra=1, max_num=MAX_ROWS,
                                    absolute_max=MAX_ROWS)
    kwargs = {"form_kwargs": {"products": products}}
    if request.method == "POST":
        data = request.POST.copy()
        total = data.get("form-TOTAL_FORMS", "")
        if "add_row" in data and total.isdigit() and int(total) < MAX_ROWS:
            # A bound formset has as many rows as it was sent: one more is one more.
            data["form-TOTAL_FORMS"] = str(int(total) + 1)
        return formset_class(data, **kwargs)
    initial = [{"product": line.product, "quantity": line.quantity}
               for line in opportunity.lines.select_related("product")] if opportunity else []
    return formset_class(initial=initial, **kwargs)


def _book(request, opportunity: Opportunity | None):
    if opportunity is not None:
        return line_items.book_for(opportunity)
    books = catalog.price_books_visible(request.user).filter(active=True)
    chosen = request.POST.get("book") or request.GET.get("book")
    found = books.filter(pk=chosen).first() if str(chosen).isdigit() else None
    return found or books.filter(is_standard=True).first() or books.first()


@catalog_reader
def configurator(request):
    """GET shows the form; a POST from HTMX answers the result; "apply" saves the lines."""
    try:
        opportunity = _opportunity(request)
    except ValidationError:
        return redirect("configurator")
    book, formset = _book(request, opportunity), _rows(request, opportunity)
    result, declined = None, []
    if book is not None and formset.is_valid():
        visible = catalog.products_visible(request.user)
        selection = [(f.cleaned_data["product"], f.cleaned_data.get("quantity") or Decimal(1))
                     for f in formset.forms if f.cleaned_data.get("product")]
        declined = list(visible.filter(pk__in=[p for p in request.POST.getlist("declined")
                                               if p.isdigit() and len(p) < 19]))
        if "apply" in request.POST and opportunity is not None:
            result = _apply(request, opportunity, selection, declined)
            if result is not None and result.ok:
                return redirect(f"{request.path}?opportunity={opportunity.pk}")
        else:
            result = configure(selection=selection, book=book, declined=declined)
    elif opportunity is not None and not formset.is_bound:
        result = line_items.current_configuration(opportunity)
    context = {"formset": formset, "book": book, "result": result, "opportunity": opportunity,
               "declined": declined,
               "books": catalog.price_books_visible(request.user).filter(active=True),
               "title": _("Configurator")}
    template = "sales/catalog/_configuration.html" if request.htmx \
        else "sales/catalog/configurator.html"
    return render(request, template, context)


def _apply(request, opportunity, selection, declined):
    """The configured lines saved on the opportunity, or why not (as messages)."""
    try:
        result = line_items.lines_configure(opportunity=opportunity, user=request.user,
                                            selection=selection, declined=declined)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [])) or
                       _("Your role does not allow this."))
        return None
    if result.ok:
        messages.success(request, _("The opportunity's lines now follow this configuration."))
    else:
        messages.error(request, _("Nothing was changed: the configuration is refused."))
    return result
