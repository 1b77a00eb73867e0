import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import _load_checkpoint


class Untrusted:
    """A class no allow-list names: safe loading must keep refusing it."""


def test_mmagic_imports_on_numpy2():
    import mmagic.utils.trans_utils as trans_utils
    assert np.bool8 is np.bool_
    assert trans_utils.dtype_range[np.bool_] == (False, True)


def test_mmengine_loader_reads_message_hub_state_safely(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(np.float64(1.5))
    buffer.update(2.0)
    path = tmp_path / 'ckpt.pth'
    torch.save(dict(log_scalars={'train/loss': buffer}, iter=np.int64(3),
                    array=np.arange(4, dtype=np.float32)), path)
    loaded = _load_checkpoint(str(path), map_location='cpu')
    assert loaded['log_scalars']['train/loss'].current() == 2.0
    assert loaded['log_scalars']['train/loss'].mean() == 1.75
    assert np.array_equal(loaded['array'], np.arange(4, dtype=np.float32))


def test_safe_loading_stays_on(tmp_path):
    path = tmp_path / 'untrusted.pth'
    torch.save({'x': Untrusted()}, path)
    with pytest.raises(Exception, match='[Ww]eights only load failed'):
        _load_checkpoint(str(path), map_location='cpu')
    with pytest.raises(Exception, match='[Ww]eights only load failed'):
        torch.load(path)
    # The allow-list is scoped to mmengine's loader: plain torch.load is unchanged.
    buffer_path = tmp_path / 'buffer.pth'
    torch.save(HistoryBuffer(), buffer_path)
    with pytest.raises(Exception, match='[Ww]eights only load failed'):
        torch.load(buffer_path)
