"""The product list's filters, shared by the catalogue page and GET /api/v1/products."""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amity.sales.models import Product


class ProductFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    family = filters.CharFilter(label=_("Product family"), lookup_expr="iexact")
    active = filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Product
        fields = ["q", "family", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
