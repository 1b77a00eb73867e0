"""tools/export.py: the whole three-stage inference as one ONNX graph, matched in onnxruntime
against PyTorch, on a real (tiny, untrained) FeedbackInpaintor checkpoint."""
import numpy as np
import onnx
import onnxruntime
import pytest
import torch

from fr_inpaint_plugin.apis.export import InpaintingGraph, example_inputs
from fr_inpaint_plugin.cli import export

from .test_feedback_inpainting_inferencer_e2e import save_tiny_pipeline


def test_export_onnx_matches_pytorch_at_any_batch(tmp_path, capsys):
    checkpoint = tmp_path / 'refine_iter_4.pth'
    model = save_tiny_pipeline(checkpoint).eval()
    out = tmp_path / 'deploy' / 'model.onnx'
    export.main([str(checkpoint), '--format', 'onnx', '--out', str(out)])
    onnx.checker.check_model(str(out))
    assert not list(out.parent.glob('*.tmp'))
    session = onnxruntime.InferenceSession(str(out), providers=['CPUExecutionProvider'])
    assert [i.name for i in session.get_inputs()] == ['image', 'mask']
    assert [o.name for o in session.get_outputs()] == ['inpainted', 'semantic']
    for batch in (1, 3):  # exported at batch 1: the batch dimension is dynamic
        image, mask = example_inputs((64, 64), batch, seed=5)
        inpainted, semantic = session.run(None, {'image': image.numpy(), 'mask': mask.numpy()})
        with torch.no_grad():
            expected, expected_semantic = InpaintingGraph(model)(image, mask)
        assert inpainted.shape == (batch, 3, 64, 64) and semantic.dtype == np.int64
        assert np.abs(inpainted - expected.numpy()).max() < 1e-3
        assert (semantic == expected_semantic.numpy()).mean() > 0.999
        known = mask.numpy() == 0
        assert np.array_equal(np.broadcast_to(known, inpainted.shape) * inpainted,
                              np.broadcast_to(known, inpainted.shape) * image.numpy())
    assert '"max_abs_diff"' in capsys.readouterr().out


def test_export_of_a_missing_checkpoint_names_it(tmp_path):
    with pytest.raises(SystemExit, match='missing.pth does not exist'):
        export.main([str(tmp_path / 'missing.pth'), '--out', str(tmp_path / 'm.onnx')])
    assert not (tmp_path / 'm.onnx').exists()
