"""Every ``.pth`` the package reads goes through :func:`safe_torch_load`: a pickle can run code,
so only tensors, numbers and explicitly trusted classes are ever unpickled."""
import pickle
from typing import Iterable, Optional

import torch


def safe_torch_load(path: str, map_location='cpu', trusted: Optional[Iterable] = None):
    """``torch.load(path, weights_only=True)``, with ``trusted`` globals allow-listed for this
    call only. Passing ``weights_only`` explicitly keeps torch's escape hatch
    (``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD``) from turning it off. A refused file raises
    ``pickle.UnpicklingError`` naming it; a truncated, empty or foreign file a ``ValueError``
    naming it (torch's own errors do not)."""
    try:
        with torch.serialization.safe_globals(list(trusted or ())):
            return torch.load(path, map_location=map_location, weights_only=True)
    except (EOFError, RuntimeError) as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(f'cannot read checkpoint {path}: the file is truncated, empty or not '
                         f'a PyTorch checkpoint ({detail}); copy it again or pick another '
                         'checkpoint') from error
    except pickle.UnpicklingError as error:
        raise pickle.UnpicklingError(
            f'refused to load checkpoint {path}: it holds objects that are not tensors, '
            'numbers or mmengine bookkeeping, which a safe load never runs (a pickle can '
            'execute code). Load checkpoints written by this project or MMEngine only. '
            f'Detail: {str(error).splitlines()[0]}') from error
