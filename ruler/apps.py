from django.apps import AppConfig


class RulerConfig(AppConfig):
    name = "ruler"
