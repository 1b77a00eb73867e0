"""Image sizes as the configs write them: one int (square) or (height, width)."""
from typing import Sequence, Tuple, Union

import numpy as np

Size = Union[int, Sequence[int]]


def as_hw(size: Size) -> Tuple[int, int]:
    """``256`` or ``(256, 256)`` -> ``(256, 256)`` (height, width)."""
    if isinstance(size, (int, np.integer)):
        return int(size), int(size)
    height, width = size
    return int(height), int(width)
