"""Single sign-on with the collectivité's OpenID Connect provider (ProConnect, Keycloak, Entra ID, LemonLDAP::NG)."""
