"""A form refused for its security token (a page left open too long, cookies refused) shows the site's French page,
never Django's English « Forbidden (403) CSRF verification failed »."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_is_refused_with_a_french_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Le formulaire n'a pas pu être accepté" in page
    assert "rechargez la page" in page
    assert "CSRF verification failed" not in page and "Forbidden" not in page
