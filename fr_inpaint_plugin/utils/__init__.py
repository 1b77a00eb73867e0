"""Small helpers shared across the package, each defined once. Imports nothing of ours."""
from .atomic_files import write_atomically, write_bytes_atomically, write_text_atomically
from .labels import IGNORE_INDEX
from .png import png_bytes
from .safe_load import safe_torch_load
from .sizes import Size, as_hw

__all__ = [
    'IGNORE_INDEX', 'Size', 'as_hw', 'png_bytes', 'safe_torch_load', 'write_atomically',
    'write_bytes_atomically', 'write_text_atomically'
]
