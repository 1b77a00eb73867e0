"""Semantic feedback recorrection inpainting (Ye et al. 2025) as an MMagic + MMSeg plugin.

Importing the package applies the compat shims (before MMagic is imported) and registers
every component into MMagic's / MMSeg's registries.
"""
from . import compat

compat.apply()

from . import (  # noqa: E402,F401  (registers into mmagic.registry)
    apis,  # noqa: E402,F401  (inference on top of the registered models)
    datasets,
    engine,
    evaluation,
    models,
)

__version__ = '0.1.0'
