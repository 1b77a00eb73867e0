import torch
from mmagic.registry import DATASETS, MODELS
from mmengine.dataset import pseudo_collate

from fr_inpaint_plugin.models.coarse.pyramid_fill import pyramid_fill


def test_runs_as_a_parameter_free_mmagic_inpaintor(tiny_coarse_cfg):
    model = MODELS.build(dict(
        type='OneStageInpaintor',
        data_preprocessor=dict(type='DataPreprocessor', mean=[127.5], std=[127.5]),
        encdec=dict(type='PyramidFillNet')))
    assert sum(p.numel() for p in model.parameters()) == 0
    dataset = DATASETS.build(tiny_coarse_cfg.val_dataloader.dataset)
    batch = pseudo_collate([dataset[0]])
    output = model.val_step(batch)[0]
    data = model.data_preprocessor(batch, False)
    expected = pyramid_fill(data['inputs'], data['data_samples'].mask.float())
    # The preprocessor hands the net RGB in [-1, 1]; MMagic's outputs are BGR in [0, 255].
    expected = (expected[0].flip(0) + 1) * 127.5
    assert torch.allclose(output.output.pred_img.float(), expected, atol=1e-3)
