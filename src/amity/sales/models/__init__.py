"""Sales keeps one module of models per area (leads, pipelines, catalogue, …); this
package gathers them so Django finds them."""

from amity.sales.models.catalog import PriceBook, PriceBookEntry, Product
from amity.sales.models.configuration import ConfigurationRule
from amity.sales.models.forecasts import (
    ForecastSnapshot,
    ForecastSnapshotLine,
    PeriodKind,
    Quota,
)
from amity.sales.models.lead_setup import LeadForm, QualificationItem
from amity.sales.models.leads import Lead, LeadStatus
from amity.sales.models.line_items import OpportunityLine
from amity.sales.models.orders import Order, OrderLine, OrderStatus
from amity.sales.models.pipelines import (
    ForecastCategory,
    Opportunity,
    OpportunityStatus,
    Pipeline,
    Stage,
    StageChange,
)
from amity.sales.models.quotes import Quote, QuoteLine, QuoteStatus
from amity.sales.models.routing import (
    AssignmentRule,
    LeadRoute,
    RuleCursor,
    ScoringModel,
)

__all__ = ["AssignmentRule", "ConfigurationRule", "ForecastCategory", "ForecastSnapshot",
           "ForecastSnapshotLine", "Lead", "LeadForm",
           "LeadRoute", "LeadStatus", "Opportunity", "OpportunityLine", "OpportunityStatus",
           "Order", "OrderLine", "OrderStatus", "PeriodKind", "Pipeline", "PriceBook",
           "PriceBookEntry", "Product", "QualificationItem", "Quota", "Quote", "QuoteLine",
           "QuoteStatus", "RuleCursor", "ScoringModel", "Stage", "StageChange"]
