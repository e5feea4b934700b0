"""A real OpenID Connect provider for the single sign-on tests: a separate Django project
(django-oauth-toolkit, its own SQLite database and user table) run in its own process, the
way VNeID or a provincial SSO runs beside Làng Số. See serve.py and docs/sso.md."""
