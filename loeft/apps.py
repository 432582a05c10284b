from django.apps import AppConfig


class LoeftConfig(AppConfig):
    name = "loeft"
