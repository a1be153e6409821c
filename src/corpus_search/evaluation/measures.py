"""ir-measures, the ``eval`` extra's one dependency, imported in one place: without the extra,
importing the evaluation modules that need it says which install command brings it."""

from __future__ import annotations

try:
    import ir_measures
except ModuleNotFoundError as exc:  # the base install leaves evaluation out
    raise ModuleNotFoundError(
        f"Relevance evaluation needs the eval extra ({exc.name} is not installed): "
        "pip install 'corpus-search[eval]'",
        name=exc.name,
    ) from exc

__all__ = ["ir_measures"]
