"""A small catalogue for the catalog tests: products with Thai, Persian and Chinese
names, a standard THB book with volume tiers, and a rule maker."""

from decimal import Decimal

from amity.sales.models import ConfigurationRule, PriceBook, PriceBookEntry, Product


def product(code: str, name: str, *prices: tuple[str, str], book: PriceBook | None = None,
            **extra) -> Product:
    item = Product.objects.create(code=code, name=name, **extra)
    for minimum, price in prices:
        PriceBookEntry.objects.create(price_book=book, product=item,
                                      min_quantity=Decimal(minimum), unit_price=Decimal(price))
    return item


def standard_book(**extra) -> PriceBook:
    return PriceBook.objects.create(name="Standard", currency="THB", is_standard=True, **extra)


def rule(if_product: Product, then_action: str, then_product: Product | None = None,
         **extra) -> ConfigurationRule:
    made = ConfigurationRule(if_product=if_product, then_action=then_action,
                             then_product=then_product, **extra)
    made.full_clean()
    made.save()
    return made


def opportunity(user, currency: str = "THB", **data):
    """An opportunity owned by `user` on a one-stage pipeline."""
    from amity.core.services import record_create
    from amity.sales.models import Opportunity, Pipeline, Stage

    pipeline, _ = Pipeline.objects.get_or_create(name="New business")
    stage, _ = Stage.objects.get_or_create(pipeline=pipeline, position=1,
                                           defaults={"name": "Qualify", "probability": 10})
    return record_create(model=Opportunity, user=user, data={
        "name": data.pop("name", "ดีลใหญ่"), "pipeline": pipeline, "stage": stage,
        "currency": currency, "probability": Decimal(10), **data})
