"""A real OpenID Connect provider for the tests: django-oauth-toolkit in a Django project of its own, run in a second
process on loopback by tests/sso/conftest.py (its own SQLite database, an RSA key generated at start, its own login
form). Its users and their claims come from a JSON file that the tests may rewrite between two sign-ins."""
