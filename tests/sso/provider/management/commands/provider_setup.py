"""Creates the provider's database, its users (PROVIDER_USERS) and the register's application (client); run again,
adds redirect URIs to the application (the live server's, known later)."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from oauth2_provider.models import get_application_model

from ...validator import users


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", default="")
        parser.add_argument("--redirect-uri", action="append", default=[])
        parser.add_argument("--post-logout-redirect-uri", action="append", default=[])

    def handle(self, *args, **options):
        call_command("migrate", verbosity=0)
        application_model = get_application_model()
        application = application_model.objects.filter(client_id=options["client_id"]).first()
        if application is not None:
            application.redirect_uris = " ".join([application.redirect_uris, *options["redirect_uri"]])
            application.post_logout_redirect_uris = " ".join(
                [application.post_logout_redirect_uris, *options["post_logout_redirect_uri"]]
            )
            application.save(update_fields=["redirect_uris", "post_logout_redirect_uris"])
            return
        user_model = get_user_model()
        for username, entry in users().items():
            user = user_model(username=username)
            user.set_password(entry["password"])
            user.save()
        application_model.objects.create(
            name="Registre IA (tests)",
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(options["redirect_uri"]),
            post_logout_redirect_uris=" ".join(options["post_logout_redirect_uri"]),
            algorithm=application_model.RS256_ALGORITHM,
            skip_authorization=True,
        )
