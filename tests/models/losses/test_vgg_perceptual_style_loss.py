import pytest
import torch
import torchvision
from mmagic.registry import MODELS
from torchvision.models.vgg import cfgs, make_layers

from fr_inpaint_plugin.models.losses import VGGFeatureExtractor, gram_matrix, vgg_layer_names
from fr_inpaint_plugin.weights import WEIGHTS_ENV_VAR

RELU_X_1 = ['relu1_1', 'relu2_1', 'relu3_1', 'relu4_1', 'relu5_1']


@pytest.fixture(scope='module')
def loss():
    return MODELS.build(dict(type='VGGPerceptualStyleLoss'))


@pytest.fixture(scope='module')
def random_vgg19_path(tmp_path_factory):
    """A randomly initialised torchvision VGG19 ``features`` state dict, saved like a user's."""
    path = tmp_path_factory.mktemp('vgg19') / 'vgg19_features.pth'
    torch.save(make_layers(cfgs['E']).state_dict(), path)
    return path


def images(seed, batch=2, size=32):
    return torch.rand(batch, 3, size, size, generator=torch.Generator().manual_seed(seed)) * 2 - 1


@pytest.mark.parametrize('name, indices', [('vgg16', [1, 6, 11, 18, 25]),
                                           ('vgg19', [1, 6, 11, 20, 29])])
def test_layer_names_map_to_torchvision_indices(name, indices):
    with torch.device('meta'):
        features = getattr(torchvision.models, name)().features
    names = vgg_layer_names(features)
    assert [names.index(layer) for layer in RELU_X_1] == indices
    assert names[:5] == ['conv1_1', 'relu1_1', 'conv1_2', 'relu1_2', 'pool1']


def test_defaults_are_the_papers(loss):
    assert (loss.perceptual_weight, loss.style_weight) == (0.1, 250.)
    assert loss.perceptual_layers == loss.style_layers == tuple(RELU_X_1)
    # The offline VGG16, cut after relu5_1.
    assert loss.vgg.index_of == dict(zip(RELU_X_1, [1, 6, 11, 18, 25]))
    assert len(loss.vgg.features) == 26


def test_zero_for_identical_inputs_positive_otherwise(loss):
    x = images(0)
    assert [term.item() for term in loss(x, x.clone())] == [0, 0]
    perceptual, style = loss(x, images(1))
    assert perceptual > 0 and style > 0


def test_gram_matrix_by_hand():
    features = torch.tensor([[[[1., 2.]], [[3., 4.]]]])  # N=1, C=2, H=1, W=2
    # F F^T = [[1+4, 3+8], [3+8, 9+16]], divided by C*H*W = 4.
    assert torch.equal(gram_matrix(features), torch.tensor([[[1.25, 2.75], [2.75, 6.25]]]))


def test_gram_matrix_runs_in_float32_under_autocast():
    features = torch.full((1, 2, 64, 64), 300.)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        gram = gram_matrix(features)
    assert gram.dtype == torch.float32
    assert torch.allclose(gram, torch.full((1, 2, 2), 300.**2 / 2))


def test_terms_are_the_weighted_sums_over_their_layers(loss):
    pred, target = images(0), images(1)
    features = loss.vgg(pred), loss.vgg(target)
    perceptual = sum((features[0][name] - features[1][name]).abs().mean() for name in RELU_X_1)
    style = sum((gram_matrix(features[0][name]) - gram_matrix(features[1][name])).abs().mean()
                for name in RELU_X_1)
    ours = loss(pred, target)
    assert ours[0].item() == pytest.approx(0.1 * perceptual.item(), rel=1e-5)
    assert ours[1].item() == pytest.approx(250 * style.item(), rel=1e-5)


def test_a_zero_weight_disables_its_term(loss):
    style_only = MODELS.build(dict(type='VGGPerceptualStyleLoss', perceptual_weight=0,
                                   style_layers=['relu2_1']))
    pred, target = images(0), images(1)
    perceptual, style = style_only(pred, target)
    assert perceptual is None and style > 0
    # Only what the enabled term reads is kept of the trunk.
    assert len(style_only.vgg.features) == 7
    with pytest.raises(ValueError, match='nothing to compute'):
        MODELS.build(dict(type='VGGPerceptualStyleLoss', perceptual_weight=0, style_weight=0))


def test_gradients_reach_the_prediction_but_not_vgg_or_target(loss):
    pred = images(0).requires_grad_()
    target = images(1).requires_grad_()
    sum(loss(pred, target)).backward()
    assert pred.grad is not None and pred.grad.abs().sum() > 0
    assert target.grad is None
    assert all(not p.requires_grad and p.grad is None for p in loss.vgg.parameters())


def test_trunk_stays_in_eval_mode(loss):
    loss.train()
    assert not loss.vgg.training and not any(m.training for m in loss.vgg.modules())


def test_unknown_layer_names_are_refused():
    with pytest.raises(ValueError, match="no layers \\['relu3_4'\\]"):
        VGGFeatureExtractor(['relu3_4'], backbone='vgg16')


def test_vgg19_from_a_user_checkpoint(random_vgg19_path):
    loss = MODELS.build(dict(type='VGGPerceptualStyleLoss', backbone='vgg19',
                             pretrained_path=str(random_vgg19_path)))
    assert loss.vgg.index_of == dict(zip(RELU_X_1, [1, 6, 11, 20, 29]))
    saved = torch.load(random_vgg19_path, weights_only=True)
    assert all(torch.equal(value, saved[key])
               for key, value in loss.vgg.features.state_dict().items())
    x = images(0, batch=1)
    assert [term.item() for term in loss(x, x)] == [0, 0]
    assert all(term > 0 for term in loss(x, images(1, batch=1)))


def test_missing_weights_name_the_way_to_get_them(monkeypatch, tmp_path):
    monkeypatch.setenv(WEIGHTS_ENV_VAR, str(tmp_path))
    with pytest.raises(FileNotFoundError, match='tools/prepare_weights.py'):
        MODELS.build(dict(type='VGGPerceptualStyleLoss'))
    with pytest.raises(FileNotFoundError, match='No offline VGG19 weights'):
        MODELS.build(dict(type='VGGPerceptualStyleLoss', backbone='vgg19'))
    with pytest.raises(FileNotFoundError, match='not found'):
        MODELS.build(dict(type='VGGPerceptualStyleLoss', backbone='vgg19',
                          pretrained_path=str(tmp_path / 'absent.pth')))
