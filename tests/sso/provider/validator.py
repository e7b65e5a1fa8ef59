"""The provider's claims: those of the user in the PROVIDER_USERS file, read at each request (a test may change a
person's roles between two sign-ins), whatever the scopes asked."""

import json
import os
from pathlib import Path

from oauth2_provider.oauth2_validators import OAuth2Validator


def users() -> dict:
    return json.loads(Path(os.environ["PROVIDER_USERS"]).read_text(encoding="utf-8"))


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim of the file, in the id token and at the userinfo endpoint

    def get_additional_claims(self, request):
        return dict(users().get(request.user.username, {}).get("claims", {}))
