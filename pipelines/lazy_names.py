"""Names of a package imported the first time they are asked for (PEP 562): one module __getattr__."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence


def lazy_getattr(
    package: str, names: Mapping[str, str], submodules: Sequence[str] = ()
) -> Callable[[str], object]:
    """A module __getattr__ for package: a name of `names` (name -> defining module) or a submodule,
    imported the first time it is asked for."""

    def lazy_name(name: str) -> object:
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # later look-ups find it directly
        return value

    return lazy_name
