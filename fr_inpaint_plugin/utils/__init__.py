"""Small helpers shared across the package, each defined once. Imports nothing of ours."""
from .atomic_files import write_atomically, write_bytes_atomically, write_text_atomically
from .labels import IGNORE_INDEX
from .png import png_bytes
from .sizes import Size, as_hw

__all__ = [
    'IGNORE_INDEX', 'Size', 'as_hw', 'png_bytes', 'write_atomically', 'write_bytes_atomically',
    'write_text_atomically'
]
