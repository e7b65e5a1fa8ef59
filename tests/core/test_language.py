"""French first: the browser's language does not switch the interface, the person's explicit choice does."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_login_page_is_french_even_for_an_english_browser():
    response = Client().get("/connexion/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "fr"


def test_explicit_choice_of_english_is_honoured():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/connexion/"})
    assert client.get("/connexion/")["Content-Language"] == "en"
