from django.apps import AppConfig


class TidligConfig(AppConfig):
    name = "tidlig"
    verbose_name = "Tidlig"
