from django.apps import AppConfig


class ProviderConfig(AppConfig):
    name = "tests.sso.provider"
    label = "test_provider"
