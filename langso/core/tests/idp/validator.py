"""Claims the test provider puts in id_tokens and userinfo, from its own directory (the
"users" of the JSON config): a citizen ID for VNeID-like users, groups for officials."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from .settings import CONFIG

DIRECTORY = {user["username"]: user for user in CONFIG["users"]}


class DirectoryValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "citizen_id": "profile",
        "groups": "profile",
    }

    def get_additional_claims(self, request):
        user = request.user
        entry = DIRECTORY.get(user.username, {})
        return {
            "name": f"{user.last_name} {user.first_name}".strip(),
            "family_name": user.last_name,
            "given_name": user.first_name,
            "email": user.email,
            "email_verified": bool(user.email),
            **entry.get("claims", {}),
        }
