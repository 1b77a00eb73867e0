"""Files that several processes (DDP ranks, dataloader workers, concurrent runs) may write."""
import os
from pathlib import Path
from typing import Union


def write_bytes_atomically(path: Union[str, Path], content: bytes) -> None:
    """Readers see the previous file or the complete new one, never a partial one; on any
    failure the old file stays and no temporary is left behind.

    Two ranks writing the same content at once is harmless: each renames its own temporary.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f'.{path.name}.{os.getpid()}.tmp')
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    except BaseException:  # KeyboardInterrupt included: leave no temporary behind
        temporary.unlink(missing_ok=True)
        raise


def write_text_atomically(path: Union[str, Path], text: str) -> None:
    """:func:`write_bytes_atomically` for UTF-8 text."""
    write_bytes_atomically(path, text.encode('utf-8'))
