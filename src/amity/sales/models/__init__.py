"""Sales keeps one module of models per area (leads, pipelines, catalogue, …); this
package gathers them so Django finds them."""

from amity.sales.models.catalog import PriceBook, PriceBookEntry, Product
from amity.sales.models.forecasts import PeriodKind, Quota
from amity.sales.models.leads import Lead, LeadStatus
from amity.sales.models.pipelines import (
    ForecastCategory,
    Opportunity,
    OpportunityStatus,
    Pipeline,
    Stage,
    StageChange,
)

__all__ = ["ForecastCategory", "Lead", "LeadStatus", "Opportunity", "OpportunityStatus",
           "PeriodKind", "Pipeline", "PriceBook", "PriceBookEntry", "Product", "Quota", "Stage",
           "StageChange"]
