import pytest
import torch
from mmagic.registry import DATASETS, MODELS
from mmengine.dataset import pseudo_collate


@pytest.mark.parametrize('method', ['telea', 'ns'])
def test_fills_holes_from_known_pixels_only(method):
    net = MODELS.build(dict(type='OpenCVInpaintNet', method=method))
    image = torch.full((1, 3, 32, 32), 0.5)
    mask = torch.zeros(1, 1, 32, 32)
    mask[..., 8:20, 8:20] = 1
    # Garbage in the hole must not leak into the result: a flat image stays flat.
    holes_garbage = image * (1 - mask) + mask * torch.randn(1, 3, 32, 32)
    out = net(torch.cat([holes_garbage, mask], dim=1))
    assert out.shape == (1, 3, 32, 32)
    # Telea's weighted average rounds to within a couple of 8-bit levels.
    assert torch.allclose(out, torch.full_like(out, 0.5), atol=3 / 127.5)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match='telea'):
        MODELS.build(dict(type='OpenCVInpaintNet', method='fast'))


def test_runs_as_a_parameter_free_mmagic_inpaintor(tiny_coarse_cfg):
    model = MODELS.build(dict(
        type='OneStageInpaintor',
        data_preprocessor=dict(type='DataPreprocessor', mean=[127.5], std=[127.5]),
        encdec=dict(type='OpenCVInpaintNet', method='telea')))
    assert sum(p.numel() for p in model.parameters()) == 0
    dataset = DATASETS.build(tiny_coarse_cfg.val_dataloader.dataset)
    output = model.val_step(pseudo_collate([dataset[0]]))[0]
    known = output.mask.expand_as(output.output.pred_img) == 0
    # Known pixels come back unchanged (up to float rounding of the normalise/destruct trip).
    diff = (output.output.pred_img - output.gt_img.float()).abs()
    assert diff[known].max() <= 1e-3
    assert diff[~known].max() > 1  # the holes were really filled, not copied from gt
