"""A package's names that import their module when first used (PEP 562), so that importing it costs little.

A package lists ``{module: names}`` and sets ``__getattr__, __dir__ =
attach(__name__, homes)``, with the same names imported under
``TYPE_CHECKING`` for type checkers. The first use of a name imports its
module, then binds in the package every name of each listed module loaded by
then, so that later uses are plain attribute reads.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def attach(
    package: str, homes: Mapping[str, tuple[str, ...]], claim: Callable[[object], None] = lambda _: None
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The package's ``__getattr__`` and ``__dir__``; ``claim`` sees each value as it is bound."""
    modules = {name: module for module, names in homes.items() for name in names}

    def load(name: str) -> object:
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        importlib.import_module(f"{package}.{modules[name]}")
        namespace = vars(sys.modules[package])
        for module, names in homes.items():
            found = vars(sys.modules[f"{package}.{module}"]) if f"{package}.{module}" in sys.modules else {}
            for public in names:
                if public in found:  # a module another thread is still importing may lack it yet
                    claim(found[public])
                    namespace[public] = found[public]
        return namespace[name]

    def names() -> list[str]:
        return sorted({*vars(sys.modules[package]), *modules})

    return load, names
