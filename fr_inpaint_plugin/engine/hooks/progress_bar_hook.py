"""One progress bar per training run and per validation/test pass, for pipeline phases."""
import sys
from typing import Optional

from mmagic.registry import HOOKS
from mmengine.hooks import Hook
from tqdm import tqdm


@HOOKS.register_module()
class ProgressBarHook(Hook):
    """A ``tqdm`` bar over the training iterations (starting at the resumed iteration, with the
    latest loss) and one over each validation/test pass, on stderr and rank 0 only.

    MMEngine's logger prints a line every ``interval`` iterations; the bars give a glance at how
    far each phase of ``tools/train_pipeline.py`` is while its full log goes to a file.

    Args:
        desc: label in front of the bars (the pipeline names it after the phase).
    """

    priority = 'VERY_LOW'

    def __init__(self, desc: str = ''):
        self.desc = desc
        self._bar: Optional[tqdm] = None

    @staticmethod
    def _length(loop) -> Optional[int]:
        """Batches of a (Multi)Val/TestLoop pass: MMagic's loops hold several dataloaders."""
        loaders = getattr(loop, 'dataloaders', None) or [getattr(loop, 'dataloader', None)]
        try:
            return sum(len(loader) for loader in loaders)
        except TypeError:
            return None

    def _open(self, runner, total: Optional[int], initial: int, what: str) -> None:
        self._close()
        if runner.rank == 0:
            label = f'{self.desc} {what}'.strip()
            self._bar = tqdm(total=total, initial=initial, desc=label, file=sys.stderr,
                             dynamic_ncols=True, leave=True)

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def before_train(self, runner) -> None:
        self._open(runner, runner.max_iters, runner.iter, 'train')

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        if self._bar is None:
            return
        self._bar.update(1)
        if isinstance(outputs, dict) and 'loss' in outputs:
            loss = outputs['loss']  # may be the graph's tensor: float() of it warns
            loss = loss.detach() if hasattr(loss, 'detach') else loss
            self._bar.set_postfix(loss=f'{float(loss):.4g}', refresh=False)

    def after_train(self, runner) -> None:
        self._close()

    def before_val_epoch(self, runner) -> None:
        self._suspended = self._bar  # validation inside training: resume the train bar after
        self._bar = None
        self._open(runner, self._length(runner.val_loop), 0, 'val')

    def after_val_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._close()
        self._bar, self._suspended = getattr(self, '_suspended', None), None

    def before_test_epoch(self, runner) -> None:
        self._open(runner, self._length(runner.test_loop), 0, 'test')

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._close()
