from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "amity.automation"
    label = "automation"
