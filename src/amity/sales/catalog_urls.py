from django.urls import path

from amity.sales import catalog_views, configuration_views, line_items_views

urlpatterns = [
    path("catalog/products/", catalog_views.product_list, name="product_list"),
    path("catalog/products/new/", catalog_views.product_edit, name="product_create"),
    path("catalog/products/<int:pk>/", catalog_views.product_detail, name="product_detail"),
    path("catalog/products/<int:pk>/edit/", catalog_views.product_edit, name="product_edit"),
    path("catalog/products/<int:pk>/prices/<int:book>/", catalog_views.tiers_edit,
         name="product_tiers"),
    path("catalog/books/", catalog_views.price_book_list, name="price_book_list"),
    path("catalog/books/new/", catalog_views.price_book_edit, name="price_book_create"),
    path("catalog/books/<int:pk>/", catalog_views.price_book_edit, name="price_book_edit"),
    path("catalog/rules/", configuration_views.rule_list, name="configuration_rule_list"),
    path("catalog/rules/new/", configuration_views.rule_edit, name="configuration_rule_create"),
    path("catalog/rules/<int:pk>/", configuration_views.rule_edit,
         name="configuration_rule_edit"),
    path("catalog/rules/<int:pk>/delete/", configuration_views.rule_delete,
         name="configuration_rule_delete"),
    path("catalog/configurator/", configuration_views.configurator, name="configurator"),
    path("opportunities/<int:pk>/lines/", line_items_views.opportunity_lines,
         name="opportunity_lines"),
    path("opportunities/<int:pk>/lines/add/", line_items_views.line_add,
         name="opportunity_line_add"),
    path("opportunities/<int:pk>/lines/<int:line>/", line_items_views.line_update,
         name="opportunity_line_update"),
    path("opportunities/<int:pk>/lines/<int:line>/delete/", line_items_views.line_delete,
         name="opportunity_line_delete"),
    path("opportunities/<int:pk>/price-book/", line_items_views.price_book_choose,
         name="opportunity_price_book"),
]
