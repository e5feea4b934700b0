"""Who performs an action.

Views and endpoints pass `request.user` as the `actor` of an action: a signed-in `User`, or
an `AnonymousUser` on the public forms (feedback, survey answers). System jobs and demo
seeding pass `None` where an action allows it (`actor: Actor | None`).

An action that records its actor in a foreign key (`created_by=...`) may do so once its
permission check has passed: the checks that only signed-in users pass are declared
`TypeGuard[User]`, so the type checker knows the actor is a `User` after them.
"""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from .models import User

Actor: TypeAlias = User | AnonymousUser
