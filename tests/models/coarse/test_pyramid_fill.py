import pytest
import torch

from fr_inpaint_plugin.models.coarse.pyramid_fill import laplace_step, pyramid_fill


def test_laplace_step_is_the_mean_of_four_neighbours_with_replicated_borders():
    image = torch.tensor([[[[1., 2.], [3., 4.]]]])
    # Top-left: up and left replicate itself (1, 1), right 2, down 3.
    expected = torch.tensor([[[[(1 + 1 + 2 + 3) / 4, (2 + 2 + 1 + 4) / 4],
                               [(3 + 3 + 1 + 4) / 4, (4 + 4 + 2 + 3) / 4]]]])
    assert torch.allclose(laplace_step(image), expected)


@pytest.mark.parametrize('steps', [0, 1, 5])
def test_one_hole_in_2x2_matches_the_hand_computed_relaxation(steps):
    image = torch.tensor([[[[99., 2.], [4., 6.]]]])  # 99 sits in the hole and is never read
    mask = torch.tensor([[[[1., 0.], [0., 0.]]]])
    # Push: the 1x1 level is the mean of the known pixels, (2 + 4 + 6) / 3 = 4, which the pull
    # up-samples into the hole; each Jacobi step then gives x <- (x + x + 2 + 4) / 4.
    hole = 4.
    for _ in range(steps):
        hole = (2 * hole + 2 + 4) / 4
    expected = torch.tensor([[[[hole, 2.], [4., 6.]]]])
    assert torch.allclose(pyramid_fill(image, mask, smoothing_steps=steps), expected)


def test_known_pixels_unchanged_holes_never_read_flat_images_stay_flat():
    image = torch.full((2, 3, 32, 48), 0.25)
    image[1] = -0.5
    mask = (torch.rand(2, 1, 32, 48) > 0.5).float()
    garbage = image * (1 - mask) + mask * torch.randn_like(image)
    filled = pyramid_fill(garbage, mask)
    assert torch.allclose(filled, image)
    known = (mask == 0).expand_as(image)
    assert torch.equal(filled[known], garbage[known])


def test_a_linear_ramp_is_continued_across_a_hole():
    ramp = torch.linspace(-1, 1, 64).expand(1, 3, 64, 64).clone()
    mask = torch.zeros(1, 1, 64, 64)
    mask[..., 10:50, 5:30] = 1  # wide: the plain pull's coarse levels blur the ramp
    error = {steps: (pyramid_fill(ramp, mask, smoothing_steps=steps) - ramp).abs().max()
             for steps in (0, 20)}
    # Harmonic functions (a ramp is one) are what Laplace smoothing reproduces.
    assert error[0] > 0.1 and error[20] < 0.01


def test_an_image_without_known_pixels_is_filled_with_zeros():
    filled = pyramid_fill(torch.randn(1, 3, 8, 8), torch.ones(1, 1, 8, 8))
    assert torch.equal(filled, torch.zeros(1, 3, 8, 8))


class PyramidFill(torch.nn.Module):
    def forward(self, img, mask):
        return pyramid_fill(img, mask)


def test_exports_to_onnx_inside_a_graph(tmp_path):
    # The pipeline's ONNX export traces the coarse stage, prefill included.
    onnxruntime = pytest.importorskip('onnxruntime')
    img = torch.rand(1, 3, 64, 64) * 2 - 1
    mask = (torch.rand(1, 1, 64, 64) > 0.7).float()
    path = str(tmp_path / 'fill.onnx')
    torch.onnx.export(PyramidFill(), (img, mask), path, dynamo=False, opset_version=17,
                      input_names=['img', 'mask'], dynamic_axes={'img': {0: 'n'}, 'mask': {0: 'n'}})
    session = onnxruntime.InferenceSession(path, providers=['CPUExecutionProvider'])
    img, mask = torch.rand(2, 3, 64, 64) * 2 - 1, (torch.rand(2, 1, 64, 64) > 0.7).float()
    filled, = session.run(None, {'img': img.numpy(), 'mask': mask.numpy()})
    assert abs(filled - pyramid_fill(img, mask).numpy()).max() < 1e-4
