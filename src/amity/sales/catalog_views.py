"""The catalogue pages: products (everyone with sales access reads the active ones),
price books and the volume tiers of a product in a book (catalogue editors)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from amity.core.pagination import keyset_page
from amity.sales import catalog_services as catalog
from amity.sales.catalog_filters import ProductFilter
from amity.sales.catalog_forms import PriceBookForm, ProductForm, TierFormSet
from amity.sales.models import PriceBook, Product


def catalog_reader(view):
    """Pages of the catalogue answer 404 to people without sales access."""
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not catalog.can_read_catalog(request.user):
            raise Http404
        return view(request, *args, **kwargs)
    return wrapper


def catalog_editor(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not catalog.can_edit_catalog(request.user):
            raise Http404
        return view(request, *args, **kwargs)
    return wrapper


def add_errors(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form, by field where the form has the field."""
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@catalog_reader
def product_list(request):
    filters = ProductFilter(request.GET, queryset=catalog.products_visible(request.user))
    rows = filters.qs if filters.is_valid() else Product.objects.none()
    try:
        page = keyset_page(rows, ordering=("name", "id"), after=request.GET.get("after"))
    except ValidationError:
        page = keyset_page(rows, ordering=("name", "id"))
    params = request.GET.copy()
    params.pop("after", None)
    return render(request, "sales/catalog/product_list.html", {
        "filter": filters, "page": page, "params": params.urlencode(),
        "can_edit": catalog.can_edit_catalog(request.user), "title": _("Products")})


@catalog_reader
def product_detail(request, pk: int):
    product = get_object_or_404(catalog.products_visible(request.user), pk=pk)
    books = catalog.price_books_visible(request.user)
    prices = [(book, catalog.tiers_of(book=book, product=product)) for book in books]
    return render(request, "sales/catalog/product_detail.html", {
        "product": product, "prices": prices, "title": product.name,
        "can_edit": catalog.can_edit_catalog(request.user)})


def _edit(request, form_class, save, instance, *, title: str, cancel: str):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form._meta.fields}
        try:
            saved = save(user=request.user, data=fields)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return saved
    return render(request, "sales/catalog/form.html",
                  {"form": form, "title": title, "cancel": cancel})


@catalog_editor
def product_edit(request, pk: int | None = None):
    product = get_object_or_404(Product, pk=pk) if pk else None

    def save(**kwargs):
        return catalog.product_save(product=product, **kwargs)

    result = _edit(request, ProductForm, save, product,
                   title=product.name if product else _("New product"),
                   cancel=reverse("product_detail", args=[pk]) if product
                   else reverse("product_list"))
    return redirect("product_detail", result.pk) if isinstance(result, Product) else result


@catalog_editor
def price_book_list(request):
    return render(request, "sales/catalog/price_book_list.html", {
        "books": PriceBook.objects.order_by("name", "currency", "id"), "title": _("Price books")})


@catalog_editor
def price_book_edit(request, pk: int | None = None):
    book = get_object_or_404(PriceBook, pk=pk) if pk else None

    def save(**kwargs):
        return catalog.price_book_save(book=book, **kwargs)

    result = _edit(request, PriceBookForm, save, book,
                   title=str(book) if book else _("New price book"),
                   cancel=reverse("price_book_list"))
    return redirect("price_book_list") if isinstance(result, PriceBook) else result


@catalog_editor
def tiers_edit(request, pk: int, book: int):
    product = get_object_or_404(Product, pk=pk)
    book = get_object_or_404(PriceBook, pk=book)
    initial = [{"min_quantity": t.min_quantity, "unit_price": t.unit_price}
               for t in catalog.tiers_of(book=book, product=product)]
    formset = TierFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = [(i, f.cleaned_data) for i, f in enumerate(formset.forms)
                if f.cleaned_data.get("min_quantity") is not None
                or f.cleaned_data.get("unit_price") is not None]
        try:
            catalog.tiers_set(user=request.user, book=book, product=product, tiers=[
                catalog.Tier(data.get("min_quantity"), data.get("unit_price"))
                for _i, data in rows])
        except ValidationError as exc:
            _tier_errors(formset, [i for i, _data in rows], exc)
        else:
            messages.success(request, _("Prices saved."))
            return redirect("product_detail", product.pk)
    return render(request, "sales/catalog/tiers_form.html", {
        "formset": formset, "product": product, "book": book,
        "title": _("Prices of %(product)s in %(book)s") % {"product": product.name,
                                                           "book": book}})


def _tier_errors(formset, form_index: list[int], exc: ValidationError) -> None:
    # The service numbers the tiers it was given; the form numbers every row.
    for key, errors in exc.message_dict.items():
        _tiers, index, field = key.split(".")
        formset.forms[form_index[int(index)]].add_error(field, errors)
