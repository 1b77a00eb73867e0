"""Files that several processes (DDP ranks, dataloader workers, concurrent runs) may write, or
that an interrupted run must never leave half-written."""
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable, Union

PathLike = Union[str, Path]


def write_atomically(path: PathLike, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it to ``path``.

    Readers see the previous file or the complete new one, never a partial one; on any failure
    (KeyboardInterrupt included) the old file stays and no temporary is left behind. Each writer
    has its own temporary, so two ranks writing the same content at once is harmless.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.',
                                             suffix='.tmp')
    try:
        with os.fdopen(descriptor, 'wb') as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp creates 0600; caches and work dirs may be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: PathLike, content: bytes) -> None:
    """:func:`write_atomically` for a bytes payload."""
    write_atomically(path, lambda file: file.write(content))


def write_text_atomically(path: PathLike, text: str) -> None:
    """:func:`write_atomically` for UTF-8 text."""
    write_bytes_atomically(path, text.encode('utf-8'))
