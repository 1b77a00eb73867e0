import pytest
import torch
import torch.nn.functional as F
from mmagic.registry import MODELS

from fr_inpaint_plugin.models.refine import SPADE, label_to_onehot

NUM_CLASSES = 5
NARROW = (8, 8, 16, 16, 16, 16)


def build_generator(channels=NARROW, **kwargs):
    generator = MODELS.build(dict(type='SPADEUNetGenerator', num_classes=NUM_CLASSES,
                                  channels=channels, spade_hidden_channels=8, **kwargs))
    generator.init_weights()
    return generator


def random_labels(size, batch=2):
    return torch.randint(0, NUM_CLASSES, (batch, 1, *size))


@pytest.mark.parametrize('size', [(64, 64), (128, 64), (64, 192)])
def test_output_and_pyramid_shapes(size):
    output, pyramid = build_generator()(torch.randn(2, 4, *size), random_labels(size))
    height, width = size
    assert output.shape == (2, 3, height, width)
    # Coarse to fine, at the last three decoder scales below full resolution.
    assert [level.shape for level in pyramid] == [
        (2, 3, height // 8, width // 8), (2, 3, height // 4, width // 4),
        (2, 3, height // 2, width // 2)]
    assert all(image.abs().max() <= 1 for image in [output, *pyramid])


def test_pyramid_depth_and_network_depth_are_configurable():
    generator = build_generator(channels=(8, 8, 8), num_pyramid=1)
    assert generator.size_divisor == 8
    result = generator(torch.randn(1, 4, 24, 16), random_labels((24, 16), batch=1))
    assert result.output.shape == (1, 3, 24, 16)
    assert [level.shape for level in result.pyramid] == [(1, 3, 12, 8)]
    assert build_generator(num_pyramid=0)(torch.randn(2, 4, 64, 64),
                                          random_labels((64, 64))).pyramid == []


def test_refuses_more_pyramid_levels_than_decoder_layers():
    with pytest.raises(ValueError, match=r'num_pyramid must be in \[0, 2\]'):
        build_generator(channels=(8, 8, 8), num_pyramid=3)


def test_every_skip_connection_passes_through_a_spade():
    generator = build_generator()
    spades = [module for module in generator.modules() if isinstance(module, SPADE)]
    # Skips: the input itself and every encoder output but the deepest, one per level.
    assert len(spades) == len(NARROW)
    seen = []
    for spade in spades:
        spade.register_forward_hook(lambda module, args, out: seen.append(args[0].shape))
    generator(torch.randn(2, 4, 64, 64), random_labels((64, 64)))
    assert seen == [(2, 4, 64, 64), (2, 8, 32, 32), (2, 8, 16, 16), (2, 16, 8, 8),
                    (2, 16, 4, 4), (2, 16, 2, 2)]
    # Each decoder conv sees its own upsampled features plus the modulated skip of that scale.
    in_channels = [layer[0].in_channels for layer in generator.decoder]
    assert in_channels + [generator.to_rgb.in_channels] == [
        16 + 16, 16 + 16, 16 + 16, 16 + 8, 8 + 8, 8 + 4]


def test_integer_and_onehot_label_maps_give_the_same_result():
    generator = build_generator().eval()
    x, labels = torch.randn(2, 4, 64, 64), random_labels((64, 64))
    labels[:, :, 10:30, 5:50] = 255
    from_int = generator(x, labels)
    from_onehot = generator(x, label_to_onehot(labels, NUM_CLASSES))
    assert torch.equal(from_int.output, from_onehot.output)
    assert all(torch.equal(a, b) for a, b in zip(from_int.pyramid, from_onehot.pyramid))


def test_ignored_pixels_are_not_read_as_any_class():
    generator = build_generator(residual=False).eval()
    x, labels = torch.randn(1, 4, 64, 64), random_labels((64, 64), batch=1)
    labels[:, :, :32] = 255
    ignored = generator(x, labels).output
    for class_index in range(NUM_CLASSES):
        as_class = generator(x, labels.masked_fill(labels == 255, class_index)).output
        assert not torch.allclose(ignored, as_class)


def test_refuses_a_float_map_that_is_not_one_hot_over_the_classes():
    with pytest.raises(ValueError, match=r'one-hot \(N,5,h,w\)'):
        build_generator()(torch.randn(1, 4, 64, 64), torch.rand(1, 1, 64, 64))


def test_refuses_sizes_not_divisible_by_64():
    with pytest.raises(ValueError, match='divisible by 64'):
        build_generator()(torch.randn(1, 4, 96, 64), random_labels((96, 64), batch=1))


def test_every_parameter_receives_gradients():
    generator = build_generator(residual=False)
    output, pyramid = generator(torch.randn(2, 4, 64, 64), random_labels((64, 64)))
    (output.mean() + sum(level.mean() for level in pyramid)).backward()
    assert all(parameter.grad is not None and parameter.grad.abs().sum() > 0
               for parameter in generator.parameters())


# ---------------------------------------------------------------------------- output forms
def test_untrained_residual_refiner_returns_its_input_image_exactly():
    generator = build_generator()  # residual, the default
    x = torch.cat([torch.rand(2, 3, 64, 64) * 2 - 1, torch.rand(2, 1, 64, 64).round()], dim=1)
    output, pyramid = generator(x, random_labels((64, 64)))
    assert torch.equal(output, x[:, :3])
    for level in pyramid:  # each pyramid level: the input, area-down-sampled as the loss does
        assert torch.equal(level, F.interpolate(x[:, :3], size=level.shape[-2:], mode='area'))


def test_residual_refiner_learns_a_correction_from_its_first_step():
    generator = build_generator()
    optimizer = torch.optim.SGD(generator.parameters(), lr=0.1)
    x, labels = torch.rand(2, 4, 64, 64) * 2 - 1, random_labels((64, 64))
    for step in range(2):
        optimizer.zero_grad()
        output, pyramid = generator(x, labels)
        ((output - 0.5).abs().mean() + sum((level - 0.5).abs().mean() for level in pyramid)
         ).backward()
        moved = [name for name, p in generator.named_parameters() if p.grad.abs().sum() > 0]
        if step == 0:  # only the zero-initialised heads: the trunk sees no gradient yet
            assert moved and all(name.startswith(('to_rgb', 'pyramid_heads')) for name in moved)
        optimizer.step()
    assert set(moved) == {name for name, _ in generator.named_parameters()}
    assert not torch.equal(generator(x, labels).output, x[:, :3])


def test_from_scratch_form_predicts_the_whole_image():
    generator = build_generator(residual=False)
    x = torch.rand(2, 4, 64, 64) * 2 - 1
    output, _ = generator(x, random_labels((64, 64)))
    assert output.abs().max() < 1 and (output - x[:, :3]).abs().mean() > 0.1


def test_identity_input_skip_bypasses_spade():
    generator = build_generator(input_skip='identity', residual=False)
    spades = [module for module in generator.modules() if isinstance(module, SPADE)]
    assert len(spades) == len(NARROW) - 1  # every skip but the input itself
    assert generator.to_rgb.in_channels == 8 + 4
    seen = []
    generator.to_rgb.register_forward_pre_hook(lambda module, args: seen.append(args[0]))
    x = torch.randn(2, 4, 64, 64)
    generator(x, random_labels((64, 64)))
    assert torch.equal(seen[0][:, -4:], x)  # the raw pixels reach the RGB head unchanged
    with pytest.raises(ValueError, match='input_skip must be one of'):
        build_generator(input_skip='none')
