"""PNG encoding for every image the project writes (demo data, pseudo-labels, inference)."""
import io
from typing import Optional

import numpy as np
from PIL import Image

# Fast and still lossless; level 9 would halve the write speed for a few percent of size.
COMPRESS_LEVEL = 3


def png_bytes(array: np.ndarray, palette: Optional[np.ndarray] = None) -> bytes:
    """``array`` as PNG bytes: (H,W) uint8 as greyscale (class ids, masks) or (H,W,3) uint8 as
    RGB. With ``palette`` ((K,3) uint8 RGB), an (H,W) array becomes an 8-bit palette PNG (MMSeg's
    way of saving label maps): the ids stay exact for programs, the colours show in any viewer.
    """
    array = np.ascontiguousarray(array)
    rgb = array.ndim == 3 and array.shape[2] == 3
    if array.dtype != np.uint8 or not (array.ndim == 2 or rgb):
        raise ValueError(f'PNG encoding takes (H,W) or (H,W,3) uint8 arrays, got shape '
                         f'{array.shape} dtype {array.dtype}')
    image = Image.fromarray(array)
    if palette is not None:
        if array.ndim != 2:
            raise ValueError('a palette PNG needs an (H,W) array of ids')
        image.putpalette(np.asarray(palette, np.uint8).reshape(-1).tolist())
    buffer = io.BytesIO()
    image.save(buffer, format='PNG', compress_level=COMPRESS_LEVEL)
    return buffer.getvalue()
