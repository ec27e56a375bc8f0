"""A small name → factory registry, used for planners and renderers."""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar

from .errors import InputError

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps a CLI name to a factory taking the run's settings; new backends register here."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[[Any], T]] = {}

    def register(self, name: str, factory: Callable[[Any], T]) -> None:
        """Make a backend available by name."""
        self._factories[name] = factory

    def create(self, name: str, settings: Any = None) -> T:
        """A new backend by its registered name, configured from ``settings``."""
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(sorted(self._factories))
            raise InputError(f"unknown {self.kind} {name!r}; use one of: {known}") from None
        return factory(settings)

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._factories)
