import pytest
import torch
import torch.nn.functional as F

from fr_inpaint_plugin.consistency import ClassAnchorAccumulator, per_image_class_means
from fr_inpaint_plugin.utils import IGNORE_INDEX


def one_hot_features(labels: torch.Tensor, num_classes: int, scale: float = 2.0) -> torch.Tensor:
    """(N,K,H,W) features pointing along the class axis of each pixel's label (zero if ignored)."""
    valid = labels != IGNORE_INDEX
    one_hot = F.one_hot(torch.where(valid, labels, 0), num_classes).permute(0, 3, 1, 2).float()
    return scale * one_hot * valid.unsqueeze(1)


def anchors_of(features, labels, num_classes):
    accumulator = ClassAnchorAccumulator(num_classes, features.shape[1])
    accumulator.update(features, labels)
    return accumulator.compute()


def test_anchors_of_one_hot_features_are_the_class_directions():
    labels = torch.tensor([[[0, 0, 1, 1], [0, 2, 2, 1], [2, 2, 1, 1], [0, 0, 0, 2]]])
    anchors, present = anchors_of(one_hot_features(labels, 3), labels, 3)
    assert present.tolist() == [True, True, True]
    assert torch.equal(anchors, 2.0 * torch.eye(3))


def test_images_missing_a_class_do_not_dilute_its_anchor():
    labels = torch.tensor([[[0, 1], [0, 1]],
                           [[0, 0], [0, 0]]])  # class 1 only in the first image
    accumulator = ClassAnchorAccumulator(num_classes=3, num_channels=3)
    accumulator.update(one_hot_features(labels, 3), labels)
    anchors, present = accumulator.compute()
    assert accumulator.image_counts.tolist() == [2, 1, 0]
    assert torch.equal(anchors[1], torch.tensor([0.0, 2.0, 0.0]))
    assert present.tolist() == [True, True, False]
    assert torch.equal(anchors[2], torch.zeros(3))  # a class never seen has a zero row


def test_ignore_pixels_are_excluded():
    labels = torch.tensor([[[0, 1], [IGNORE_INDEX, IGNORE_INDEX]]])
    features = one_hot_features(labels, 2)
    features[0, :, 1, :] = 100.0  # what the segmentor says on ignored pixels must not count
    anchors, _ = anchors_of(features, labels, 2)
    assert torch.equal(anchors, 2.0 * torch.eye(2))


def test_each_image_weighs_the_same_whatever_the_region_size():
    # class 0 covers 1 pixel of image A (feature u) and 3 pixels of image B (feature v)
    labels = torch.tensor([[[0, 1], [1, 1]], [[0, 0], [0, 1]]])
    u, v = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    features = torch.zeros(2, 2, 2, 2)
    features[0, :, 0, 0] = u
    features[1][:, labels[1] == 0] = v.unsqueeze(1)
    anchors, _ = anchors_of(features, labels, 2)
    assert torch.allclose(anchors[0], (u + v) / 2)  # not (u + 3v) / 4, the pixel average


def test_features_are_upsampled_to_the_label_size():
    # a class on one odd pixel of an 8x8 label vanishes under nearest downsampling to 4x4
    labels = torch.zeros(1, 8, 8, dtype=torch.long)
    labels[0, 3, 5] = 1
    features = torch.full((1, 4, 4, 4), 0.5)  # constant maps stay constant when upsampled
    anchors, present = anchors_of(features, labels, 2)
    assert present.tolist() == [True, True]
    assert torch.allclose(anchors, torch.full((2, 4), 0.5))


def test_batch_accumulation_equals_one_big_batch():
    generator = torch.Generator().manual_seed(0)
    features = torch.rand(6, 4, 4, 4, generator=generator)
    labels = torch.randint(0, 4, (6, 8, 8), generator=generator)
    labels[torch.rand(6, 8, 8, generator=generator) < 0.2] = IGNORE_INDEX

    whole = ClassAnchorAccumulator(4, 4)
    whole.update(features, labels)
    streamed = ClassAnchorAccumulator(4, 4)
    for start, stop in ((0, 2), (2, 5), (5, 6)):
        streamed.update(features[start:stop], labels[start:stop])
    assert torch.equal(streamed.image_counts, whole.image_counts)
    assert torch.allclose(streamed.compute().anchors, whole.compute().anchors, atol=1e-6)

    # DDP: two ranks on two shards, totals summed in place as all_reduce does
    rank0, rank1 = ClassAnchorAccumulator(4, 4), ClassAnchorAccumulator(4, 4)
    rank0.update(features[:3], labels[:3])
    rank1.update(features[3:], labels[3:])
    rank0.mean_feature_sums += rank1.mean_feature_sums
    rank0.image_counts += rank1.image_counts
    assert torch.allclose(rank0.compute().anchors, whole.compute().anchors, atol=1e-6)


def test_per_image_means_and_channel_first_labels():
    labels = torch.tensor([[[0, 1], [1, 1]]])
    features = torch.arange(8, dtype=torch.float32).view(1, 2, 2, 2)
    means, in_image = per_image_class_means(features, labels.unsqueeze(1), num_classes=3)
    assert in_image.tolist() == [[True, True, False]]
    assert torch.allclose(means[0, 0], torch.tensor([0.0, 4.0]))
    assert torch.allclose(means[0, 1], torch.tensor([2.0, 6.0]))
    assert torch.equal(means[0, 2], torch.zeros(2))


def test_deterministic():
    generator = torch.Generator().manual_seed(1)
    features = torch.rand(3, 5, 4, 4, generator=generator)
    labels = torch.randint(0, 3, (3, 8, 8), generator=generator)
    first, second = anchors_of(features, labels, 3), anchors_of(features, labels, 3)
    assert torch.equal(first.anchors, second.anchors)
    assert torch.equal(first.present, second.present)


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_half_precision_features_are_widened(dtype):
    generator = torch.Generator().manual_seed(2)
    features = torch.rand(2, 3, 4, 4, generator=generator).to(dtype)
    labels = torch.randint(0, 3, (2, 8, 8), generator=generator)
    anchors, _ = anchors_of(features, labels, 3)
    assert anchors.dtype == torch.float32
    assert torch.allclose(anchors, anchors_of(features.float(), labels, 3).anchors)


@pytest.mark.parametrize('features, labels, error, message', [
    (torch.rand(1, 2, 2, 2), torch.tensor([[[0, 3], [0, 0]]]), ValueError, 'outside'),
    (torch.rand(1, 2, 2, 2), torch.tensor([[[0, -1], [0, 0]]]), ValueError, 'outside'),
    (torch.rand(1, 2, 2, 2), torch.zeros(1, 2, 2), TypeError, 'integer class ids'),
    (torch.rand(1, 2, 2, 2), torch.zeros(2, 2, 2, dtype=torch.long), ValueError, 'images'),
    (torch.rand(1, 3, 2, 2), torch.zeros(1, 2, 2, dtype=torch.long), ValueError, 'channels'),
    (torch.zeros(1, 2, 2, 2, dtype=torch.long), torch.zeros(1, 2, 2, dtype=torch.long),
     TypeError, 'floating point'),
    (torch.rand(2, 2, 2), torch.zeros(1, 2, 2, dtype=torch.long), ValueError, 'N,C,h,w'),
    (torch.rand(1, 2, 2, 2, device='meta'), torch.zeros(1, 2, 2, dtype=torch.long),
     ValueError, 'same device'),
])
def test_bad_inputs_are_refused(features, labels, error, message):
    with pytest.raises(error, match=message):
        ClassAnchorAccumulator(3, 2).update(features, labels)


def test_ignore_index_must_not_be_a_class():
    with pytest.raises(ValueError, match='ignore_index'):
        ClassAnchorAccumulator(3, 2, ignore_index=1).update(torch.rand(1, 2, 2, 2),
                                                            torch.zeros(1, 2, 2, dtype=torch.long))


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_cuda_batches_into_a_cpu_accumulator():
    labels = torch.tensor([[[0, 1], [1, 0]]])
    accumulator = ClassAnchorAccumulator(2, 2)
    accumulator.update(one_hot_features(labels, 2).cuda(), labels.cuda())
    assert torch.equal(accumulator.compute().anchors, 2.0 * torch.eye(2))
