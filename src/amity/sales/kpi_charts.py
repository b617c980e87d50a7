"""Plotly figures for the KPI dashboard, as plain JSON the page hands to plotly.js.

The page shows the same numbers in tables, so a browser without scripts (or plotly)
loses nothing but the pictures."""

import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from django.utils.translation import gettext as _

from amity.core import calendars
from amity.sales.kpis import ACTIVITY_KINDS, Kpis

LAYOUT = {"margin": {"l": 40, "r": 20, "t": 40, "b": 60}, "height": 320,
          "template": "plotly_white", "legend": {"orientation": "h"}}


def _separators() -> str:
    """Plotly's decimal and thousands separators for the active language."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = calendars.babel_locale()
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def _plain(figure: go.Figure) -> dict[str, Any]:
    return json.loads(pio.to_json(figure, validate=False))


def activities_chart(kpis: Kpis) -> dict[str, Any]:
    names = [row.name for row in kpis.reps]
    figure = go.Figure(
        data=[go.Bar(name=str(label), x=names, y=[row.activities[kind] for row in kpis.reps])
              for kind, label in ACTIVITY_KINDS.items()],
        layout={**LAYOUT, "barmode": "stack", "title": _("Activities done"),
                "separators": _separators()})
    return _plain(figure)


def conversion_chart(kpis: Kpis) -> dict[str, Any]:
    stages = [c.stage for c in kpis.conversions]
    figure = go.Figure(
        data=[go.Bar(name=_("Entered"), x=stages, y=[c.entered for c in kpis.conversions]),
              go.Bar(name=_("Went on"), x=stages, y=[c.advanced for c in kpis.conversions])],
        layout={**LAYOUT, "barmode": "group", "title": _("Conversion per stage"),
                "separators": _separators()})
    return _plain(figure)


def win_rate_chart(kpis: Kpis) -> dict[str, Any]:
    names = [row.name for row in kpis.reps]
    figure = go.Figure(
        data=[go.Bar(name=_("Win rate (%)"), x=names,
                     y=[float(row.win_rate) if row.win_rate is not None else None
                        for row in kpis.reps])],
        layout={**LAYOUT, "title": _("Win rate (%)"), "yaxis": {"range": [0, 100]},
                "separators": _separators()})
    return _plain(figure)


def kpi_charts(kpis: Kpis) -> list[tuple[str, dict[str, Any]]]:
    """(element id, figure) for each chart of the dashboard."""
    return [("chart-activities", activities_chart(kpis)),
            ("chart-conversion", conversion_chart(kpis)),
            ("chart-win-rate", win_rate_chart(kpis))]
