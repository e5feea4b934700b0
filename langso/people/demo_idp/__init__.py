"""A test OpenID Connect provider inside the demo, so that single sign-on can be tried.

Làng Số signs people in through VNeID and a provincial SSO (docs/sso.md), which a demo
cannot reach. When the settings say `LANGSO_DEMO_IDP = True` (config/settings/local.py, the
demo) the demo process also serves this provider under `/demo-idp/`, and
`langso.core.oidc.providers()` adds two providers pointing at it: "VNeID (thử nghiệm)"
(residents, matched by citizen ID) and "SSO tỉnh (thử nghiệm)" (officials, matched by
username). Production settings set it False: the routes are not mounted and the buttons do
not exist (people/tests/test_demo_idp.py checks both).

What it is, and is not:
- a real OpenID Connect provider over real HTTP: discovery, JWKS, authorization code flow
  with PKCE (S256 only), client authentication (HTTP Basic or POST), id_tokens signed RS256
  with `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`, `at_hash`, userinfo, RP-initiated logout.
  Làng Số's relying party (langso.core.oidc) talks to it exactly as to VNeID;
- a test provider: instead of a password, its page ("Nhà cung cấp định danh THỬ NGHIỆM")
  lets the visitor pick a demo identity (a resident with an account, a registered resident
  without one, a citizen not in the register, officials, an unknown official), so every
  path of the account mapping (langso.people.sso) can be seen. Codes and tokens live in the
  cache for minutes; nothing is written to the database.

Why not django-oauth-toolkit, which the SSO tests run as a separate provider process: run
inside the demo it would need its tables in Làng Số's database, a row in Làng Số's user table
for every test identity (its grants point at AUTH_USER_MODEL), and its app in the test
settings for the browser journey. This module needs none of that; the SSO tests keep
proving the relying party against django-oauth-toolkit, an independent implementation.
"""
