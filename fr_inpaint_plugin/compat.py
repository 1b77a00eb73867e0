"""Every workaround for the pinned third-party stack, in one place.

Applied once by ``fr_inpaint_plugin/__init__.py`` before MMagic/MMSeg are imported.
Each fix names what breaks without it; docs/install.md lists them in one table. Remove a fix
when the pinned version that needed it is upgraded past the problem.
"""
import os
import warnings

import numpy as np

_applied = False


def _numpy2_aliases() -> None:
    """numpy 2 removed ``np.bool8``; ``mmagic.utils.trans_utils`` uses it at import time,
    so without the alias ``import mmagic`` (and every MMagic model/metric) fails with
    ``AttributeError: module 'numpy' has no attribute 'bool8'``."""
    if not hasattr(np, 'bool8'):
        np.bool8 = np.bool_


def _mmengine_checkpoint_globals() -> list:
    """The non-tensor globals an mmengine 0.10.7 checkpoint pickles: the message hub's
    ``HistoryBuffer`` objects, their numpy arrays, and ``getattr`` (``HistoryBuffer`` pickles
    its statistics methods as ``getattr(HistoryBuffer, 'min')``; the weights-only unpickler
    still refuses to *call* anything not allow-listed, so this only resolves attributes)."""
    import builtins

    from mmengine.logging import HistoryBuffer
    from numpy._core import multiarray  # numpy 2 (numpy.core is a deprecated alias)
    return [HistoryBuffer, builtins.getattr, np.ndarray, np.dtype, multiarray._reconstruct,
            multiarray.scalar, *{type(np.dtype(code)) for code in np.typecodes['All']}]


def _scoped_safe_checkpoint_loading() -> None:
    """torch>=2.6 loads with ``weights_only=True`` by default and mmengine 0.10.7 calls
    ``torch.load`` without that argument, so ``--resume`` and ``load_from`` fail with
    ``UnpicklingError: Weights only load failed`` on mmengine's own checkpoints. We keep safe
    loading on and re-register mmengine's local-file checkpoint loader so that, only while it
    loads, exactly the globals mmengine checkpoints contain are allow-listed."""
    from mmengine.runner.checkpoint import CheckpointLoader

    from .utils.safe_load import safe_torch_load

    trusted = _mmengine_checkpoint_globals()

    def load_from_local(filename, map_location):
        filename = os.path.expanduser(filename)
        if not os.path.isfile(filename):
            raise FileNotFoundError(f'{filename} can not be found.')
        return safe_torch_load(filename, map_location, trusted)

    CheckpointLoader.register_scheme(prefixes='', loader=load_from_local, force=True)


def _atomic_checkpoint_saves() -> None:
    """mmengine 0.10.7 writes a checkpoint straight into its final path, so a run killed while
    saving (power loss, SIGKILL, an out-of-memory kill) leaves a truncated ``iter_N.pth`` that
    ``--resume`` then fails on. Local checkpoints are written to a temporary file beside the
    target and renamed into place: every ``.pth`` on disk is complete. Other back ends
    (``s3://`` ...) keep mmengine's writer."""
    import torch
    from mmengine.runner import checkpoint, runner

    from .utils.atomic_files import write_atomically

    original = checkpoint.save_checkpoint

    def save_checkpoint(state, filename, file_client_args=None, backend_args=None):
        if '://' in str(filename) or file_client_args or backend_args:
            return original(state, filename, file_client_args=file_client_args,
                            backend_args=backend_args)
        write_atomically(filename, lambda file: torch.save(state, file))

    checkpoint.save_checkpoint = runner.save_checkpoint = save_checkpoint


class _NothingToReplay:
    """A data iterator that draws nothing: ``next()`` gives ``None``."""

    def __next__(self):
        return None


def _finished_runs_resume_without_replaying_data() -> None:
    """mmengine 0.10.7 resumes an iteration-based run by drawing every batch trained on before
    (loading and augmenting it) so that the data order continues. Resumed from its final
    checkpoint (a pipeline phase killed after its last save, e.g. while its after_train hooks
    wrote pseudo-labels), a run has nothing left to train, yet replays them all: 600 batches of
    8 CamVid images, minutes on 2 cores, before the hooks rerun. There the replay is skipped;
    a resume mid-run keeps it (the same weights as an uninterrupted run:
    tests/robustness/test_kill_and_resume.py)."""
    from mmengine.runner.loops import IterBasedTrainLoop

    original = IterBasedTrainLoop.run

    def run(self):
        if self._iter < self._max_iters:
            return original(self)
        draws, self.dataloader_iterator = self.dataloader_iterator, _NothingToReplay()
        try:
            return original(self)
        finally:
            self.dataloader_iterator = draws

    IterBasedTrainLoop.run = run


# Deprecation warnings of the pinned stack that say nothing about this project's code or data,
# printed by every tool (and every pipeline phase) before its own output. Matched by message, so
# any other warning of the same libraries still shows.
KNOWN_HARMLESS_WARNINGS = (
    # MMagic registers diffusers' models at import through module paths diffusers 0.28 deprecated
    # (diffusers is pinned to 0.28.2 because later releases removed them: requirements/).
    (FutureWarning, r'`\w+` is deprecated and will be removed in version [\d.]+\. Importing `\w+` '
     r'from `diffusers\.'),
    # diffusers' import of torch.jit.script-decorated helpers, on torch 2.14.
    (FutureWarning, r'`torch\.jit\.script` is deprecated'),
    # mmengine's package checks import pkg_resources (setuptools < 81 is pinned for mmcv's build).
    (UserWarning, r'pkg_resources is deprecated as an API'),
    # MMSeg 1.2.2's own decode heads build their losses through its deprecated helper.
    (UserWarning, r'``build_loss`` would be deprecated soon'),
)


def _silence_known_harmless_warnings() -> None:
    """Without this, every tool prints about ten third-party deprecation warnings before its own
    lines, at every pipeline phase, and a real warning drowns among them."""
    for category, message in KNOWN_HARMLESS_WARNINGS:
        warnings.filterwarnings('ignore', message=message, category=category)


def apply() -> None:
    """Apply every fix once (idempotent)."""
    global _applied
    if _applied:
        return
    _silence_known_harmless_warnings()
    _numpy2_aliases()
    _scoped_safe_checkpoint_loading()
    _atomic_checkpoint_saves()
    _finished_runs_resume_without_replaying_data()
    _applied = True
