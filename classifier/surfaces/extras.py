"""The optional parts of tlc: which extra each surface needs, and one clear error when it is missing.

The core install (``pip install tlc-classifier``) carries what ``classify`` and the core commands need.
The HTTP and MCP server, the drawings, the progress bar and the Spark engine need packages of an extra; a surface calls
``require`` before importing them, so a missing package is one line naming the extra to install
(``MissingExtraError``: exit 2 at the command line), never a traceback.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from classifier.errors import MissingExtraError

# extra -> the top-level modules it brings (setup.cfg's [options.extras_require] installs them)
EXTRAS = {
    "server": ("fastapi", "uvicorn", "mcp"),
    "graph": ("matplotlib", "pydot"),
    "progress": ("tqdm",),
    "spark": ("pyspark", "pandas"),
}
NOT_IN_ALL = frozenset({"spark"})   # `all` leaves out what needs more than Python (Spark needs Java)


def require(extra: str, what: str, *modules: str) -> list[ModuleType]:
    """Import MODULES (default: all of EXTRA's) for WHAT, or raise MissingExtraError naming EXTRA."""
    loaded = []
    for name in modules or EXTRAS[extra]:
        try:
            loaded.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            missing = (exc.name or name).split(".")[0]
            if missing != name.split(".")[0]:
                raise  # the package is there but something it needs is not: a broken install, not a missing extra
            raise MissingExtraError(what, extra, missing) from None
    return loaded
