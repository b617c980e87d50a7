from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "amity.collaboration"
    label = "collaboration"
