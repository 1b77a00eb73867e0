"""Anchors -> similarity -> reliability -> split, on synthetic post-ReLU features."""
import pytest
import torch
import torch.nn.functional as F

from fr_inpaint_plugin.consistency import (
    ClassAnchorAccumulator,
    anchor_similarity_maps,
    reliability_distances,
    split_by_reliability,
)

NUM_CLASSES, CHANNELS, FEATURE_SIZE, LABEL_SIZE = 3, 6, 4, 8


def scene(generator: torch.Generator):
    """A random label map (N=1) and non-negative features: class k lights channels 2k, 2k+1."""
    coarse = torch.randint(0, NUM_CLASSES, (1, FEATURE_SIZE, FEATURE_SIZE), generator=generator)
    directions = torch.eye(NUM_CLASSES).repeat_interleave(2, dim=1)  # (K,C)
    features = directions[coarse].permute(0, 3, 1, 2)
    features = features + 0.1 * torch.rand(features.shape, generator=generator)
    labels = F.interpolate(coarse[:, None].float(), size=(LABEL_SIZE,) * 2, mode='nearest')
    return features, labels[:, 0].long()


def test_corrupted_pseudo_labels_are_split_off():
    generator = torch.Generator().manual_seed(0)
    accumulator = ClassAnchorAccumulator(NUM_CLASSES, CHANNELS)
    for _ in range(3):
        accumulator.update(*scene(generator))
    class_anchors = accumulator.compute()

    ids, distances = [], []
    for image_id in range(6):
        features, labels = scene(generator)
        if image_id % 2:  # odd images get a pseudo-label unrelated to their content
            labels = torch.randint(0, NUM_CLASSES, labels.shape, generator=generator)
        similarity = anchor_similarity_maps(features, class_anchors, labels.shape[-2:])
        ids.append(f'img_{image_id}')
        distances.append(reliability_distances(similarity, labels,
                                               class_anchors.present).distances.item())
    split = split_by_reliability(ids, distances)
    assert sorted(split.reliable_ids) == ['img_0', 'img_2', 'img_4']


def test_distances_match_a_cisc_r_style_loop_on_post_relu_features():
    """CISC-R's select_reliable, one image and one class at a time, raw cosine into BCE."""
    generator = torch.Generator().manual_seed(1)
    features = torch.rand(2, CHANNELS, FEATURE_SIZE, FEATURE_SIZE, generator=generator)
    anchors = torch.rand(NUM_CLASSES, CHANNELS, generator=generator)
    pseudo_labels = torch.randint(0, NUM_CLASSES, (2, LABEL_SIZE, LABEL_SIZE), generator=generator)
    pseudo_labels[:, :2] = 255
    present = torch.ones(NUM_CLASSES, dtype=torch.bool)
    similarity = anchor_similarity_maps(features, (anchors, present), (LABEL_SIZE, LABEL_SIZE))
    ours = reliability_distances(similarity, pseudo_labels, present).distances

    for index, (image, pseudo) in enumerate(zip(features, pseudo_labels)):
        expected = 0.0
        for cls in torch.unique(pseudo[pseudo != 255]).tolist():
            cosine = F.cosine_similarity(image[None], anchors[cls].view(1, -1, 1, 1))
            cosine = F.interpolate(cosine[:, None], size=pseudo.shape, mode='bilinear')[0, 0]
            bce = F.binary_cross_entropy(cosine, (pseudo == cls).float(), reduction='none')
            expected += bce[pseudo != 255].mean().item()
        assert ours[index].item() == pytest.approx(expected, rel=1e-5)
