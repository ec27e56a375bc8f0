"""A small name → factory registry, used for planners and renderers."""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

from .errors import InputError

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps a CLI name to a factory; new backends register, the pipeline never changes."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[[], T]] = {}

    def register(self, name: str, factory: Callable[[], T]) -> None:
        """Make a backend available by name."""
        self._factories[name] = factory

    def create(self, name: str) -> T:
        """A new backend by its registered name."""
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(sorted(self._factories))
            raise InputError(f"unknown {self.kind} {name!r}; use one of: {known}") from None
        return factory()

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._factories)
