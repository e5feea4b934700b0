"""Types that core's helpers share with the apps above them, without importing them."""

from typing import Protocol


class ActorLike(Protocol):
    """Who performs an action, as core sees it: `langso.people.actors.Actor` (a `User` or an
    `AnonymousUser`) satisfies it; core cannot import people."""

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...
