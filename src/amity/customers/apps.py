from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "amity.customers"
    label = "customers"
