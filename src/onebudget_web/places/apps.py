from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "onebudget_web.places"
    label = "places"
    verbose_name = "Places and their partners"
