"""The Python steps of ``tools/gpu_check.sh``: what goes to the GPU machine and what comes back.

The GPU machine gets only the repository's working tree plus carried folders, at most 64 MiB a
call, and reaches no package index. So the check is staged here (``stage``): CamVid train + val
already resized to the working size (as ``AlignedResize`` would: area for images, nearest for
labels; images re-encoded as JPEG quality 95, labels lossless), the hole masks of its test list
only, and the offline VGG16 / AlexNet weights as float16 (half the bytes; ``restore-weights``
turns them back into float32 files with a manifest that says so). ``summarise`` gathers the
phase timings and test metrics of a check into ``summary.json`` and ``summary.md``.

    python -m fr_inpaint_plugin.cli.gpu_check stage STAGE_DIR [--img-size 256] [--limit N]
    python -m fr_inpaint_plugin.cli.gpu_check restore-weights STAGE_DIR WEIGHTS_DIR
    python -m fr_inpaint_plugin.cli.gpu_check summarise RUN_DIR
"""
import argparse
import dataclasses
import glob
import json
import os
import os.path as osp
import shutil
import statistics
from pathlib import Path
from typing import List, Optional

import cv2
import mmcv

from .. import weights
from ..datasets.mask_list import build_mask_list, write_mask_list
from ..datasets.transforms.aligned_geometry import AlignedResize
from ..utils import as_hw, write_text_atomically

CAMVID_SPLITS = ('train', 'val')
JPEG_QUALITY = 95
STAGED_WEIGHTS_SUFFIX = '.float16.pth'


def stage_camvid(data_root: str, out_root: str, img_size, limit: Optional[int] = None) -> int:
    """Write CamVid's train and val images and labels at ``img_size``; return the image count.

    ``limit`` keeps the first N images of each split (the CPU dry run)."""
    resize = AlignedResize(scale=img_size)
    count = 0
    for split in CAMVID_SPLITS:
        names = sorted(os.listdir(osp.join(data_root, split, 'img')))[:limit]
        if not names:
            raise FileNotFoundError(f'no images in {data_root}/{split}/img: point --data-root at '
                                    'CamVid (docs/data.md)')
        for folder in ('img', 'label'):
            os.makedirs(osp.join(out_root, split, folder), exist_ok=True)
        for name in names:
            label_name = osp.splitext(name)[0] + '.png'
            results = resize.transform(dict(
                gt=mmcv.imread(osp.join(data_root, split, 'img', name)),
                gt_seg_map=mmcv.imread(osp.join(data_root, split, 'label', label_name),
                                       flag='unchanged')))
            mmcv.imwrite(results['gt'], osp.join(out_root, split, 'img', name),
                         params=[cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            mmcv.imwrite(results['gt_seg_map'], osp.join(out_root, split, 'label', label_name))
            count += 1
    return count


def stage_test_masks(val_img_dir: str, mask_dir: str, out_dir: str, list_path: str,
                     img_size) -> int:
    """The test mask list of the staged val images (seed 0, as the project's lists) and only the
    masks it names; return the number of masks copied."""
    keys = [osp.join('val', 'img', name) for name in sorted(os.listdir(val_img_dir))]
    mask_list = build_mask_list(keys, mask_dir, as_hw(img_size))
    os.makedirs(out_dir, exist_ok=True)
    names = sorted({entry.mask for entry in mask_list.entries})
    for name in names:
        shutil.copyfile(osp.join(mask_dir, name), osp.join(out_dir, name))
    # The list names the staged masks by the path given (relative: valid on both machines).
    write_mask_list(list_path, dataclasses.replace(mask_list, mask_dir=out_dir), overwrite=True)
    return len(names)


def stage_weights(weights_dir: Path, out_dir: Path) -> List[str]:
    """Float16 copies of the prepared offline backbones (their checksums verified first)."""
    import torch

    if not weights.is_prepared(weights_dir):
        raise FileNotFoundError(f'no prepared offline weights in {weights_dir}: run '
                                'python tools/prepare_weights.py first')
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = weights.read_manifest(weights_dir)
    written = []
    for name in weights.OFFLINE_BACKBONES:
        state = weights.load_backbone_features(name, weights_dir / manifest['files'][name]['file'])
        path = out_dir / (name + STAGED_WEIGHTS_SUFFIX)
        torch.save({key: value.half() for key, value in state.items()}, path)
        written.append(path.name)
    shutil.copyfile(weights_dir / weights.MANIFEST_NAME, out_dir / weights.MANIFEST_NAME)
    return written


def restore_weights(staged_dir: Path, out_dir: Path) -> dict:
    """Float32 backbones from the staged float16 copies, with a manifest that records the
    original file's checksum and that this is its float16 rounding."""
    import torch

    original = weights.read_manifest(staged_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {}
    for name in weights.OFFLINE_BACKBONES:
        state = {key: value.float() for key, value in
                 torch.load(staged_dir / (name + STAGED_WEIGHTS_SUFFIX)).items()}
        path = out_dir / weights.features_file_name(name)
        torch.save(state, path)
        files[name] = {'file': path.name, 'sha256': weights.sha256_file(path),
                       'tensors': len(state),
                       'float16_copy_of_sha256': original['files'][name]['sha256']}
    manifest = dict(original, files=files)
    # The manifest last: an interrupted restore reads as not prepared.
    write_text_atomically(out_dir / weights.MANIFEST_NAME, json.dumps(manifest, indent=2))
    return manifest


def read_timings(run_dir: str) -> List[dict]:
    """``timings.tsv`` of a check: one line per step, ``name<TAB>seconds<TAB>exit status``."""
    rows = []
    with open(osp.join(run_dir, 'timings.tsv')) as file:
        for line in file:
            name, seconds, status = line.rstrip('\n').split('\t')
            rows.append(dict(step=name, seconds=float(seconds), status=int(status)))
    return rows


def iteration_seconds(train_dir: str) -> Optional[float]:
    """Median seconds per iteration in a training's MMEngine scalar log (its first logged
    window, with the warm-up, left out when there are others), None without a log."""
    logs = sorted(glob.glob(osp.join(train_dir, '*', 'vis_data', 'scalars.json')))
    if not logs:
        return None
    with open(logs[-1]) as file:
        times = [json.loads(line)['time'] for line in file if '"time"' in line]
    return statistics.median(times[1:] or times) if times else None


def describe_device(device: str) -> str:
    """``device`` as the report names it: a CUDA device with its GPU's name."""
    if not device.startswith('cuda'):
        return device
    import torch
    return f'{device} ({torch.cuda.get_device_name(device)})'


def summarise(run_dir: str, settings: dict) -> dict:
    """Steps, their seconds and status, training images/s (from the iterations' own times,
    without start-up) and each test's metrics, under the check's ``settings`` (device, iters,
    batch, img_size, train_options)."""
    steps = read_timings(run_dir)
    for step in steps:
        seconds = iteration_seconds(osp.join(run_dir, step['step']))
        if step['step'].startswith('train_') and seconds:
            step['seconds_per_iter'] = seconds
            step['images_per_s'] = settings['batch'] / seconds
        metrics_file = osp.join(run_dir, step['step'], 'metrics.json')
        if step['step'].startswith('test_') and osp.isfile(metrics_file):
            with open(metrics_file) as file:
                step['metrics'] = json.load(file)
    summary = dict(settings=settings, steps=steps)
    write_text_atomically(osp.join(run_dir, 'summary.json'), json.dumps(summary, indent=2))
    write_text_atomically(osp.join(run_dir, 'summary.md'), summary_markdown(summary))
    return summary


def summary_markdown(summary: dict) -> str:
    settings = summary['settings']
    lines = [f"# GPU check ({settings['device']})", '',
             ', '.join(f'{key} {value}' for key, value in settings.items() if key != 'device'),
             '', '| step | status | seconds | train images/s | metrics |',
             '| --- | --- | --- | --- | --- |']
    for step in summary['steps']:
        metrics = step.get('metrics', {})
        shown = ', '.join(f'{key} {value:.4g}' for key, value in metrics.items()
                          if key.endswith(('@all', 'mIoU', 'aAcc')))
        rate = f"{step['images_per_s']:.1f}" if 'images_per_s' in step else ''
        lines.append(f"| {step['step']} | {'ok' if step['status'] == 0 else 'FAILED'} "
                     f"| {step['seconds']:.1f} | {rate} | {shown} |")
    return '\n'.join(lines) + '\n'


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest='command', required=True)
    stage = commands.add_parser('stage', help='data and weights for the GPU machine')
    stage.add_argument('stage_dir')
    stage.add_argument('--data-root', default='data/camvid')
    stage.add_argument('--mask-dir', default='data/irregular_masks')
    stage.add_argument('--img-size', type=int, default=256)
    stage.add_argument('--limit', type=int, help='first N images of each split (dry run)')
    restore = commands.add_parser('restore-weights', help='float32 weights from the staged ones')
    restore.add_argument('stage_dir')
    restore.add_argument('weights_dir')
    summary = commands.add_parser('summarise', help='summary.{json,md} of a check')
    summary.add_argument('run_dir')
    summary.add_argument('--device', required=True, help='cpu, cuda or cuda:N')
    summary.add_argument('--iters', type=int, required=True, help='iterations of each phase')
    summary.add_argument('--batch', type=int, required=True)
    summary.add_argument('--img-size', type=int, required=True)
    summary.add_argument('--train-options', default='', help='e.g. --amp (default: float32)')
    args = parser.parse_args(argv)

    if args.command == 'stage':
        data = osp.join(args.stage_dir, 'data')
        images = stage_camvid(args.data_root, osp.join(data, 'camvid'), args.img_size, args.limit)
        masks = stage_test_masks(osp.join(data, 'camvid', 'val', 'img'), args.mask_dir,
                                 osp.join(data, 'irregular_masks'),
                                 osp.join(data, 'mask_lists', f'camvid_val_{args.img_size}.txt'),
                                 args.img_size)
        files = stage_weights(weights.weights_dir(), Path(args.stage_dir) / 'weights')
        print(f'staged {images} images at {args.img_size}x{args.img_size}, {masks} test masks '
              f'and {", ".join(files)} in {args.stage_dir}')
    elif args.command == 'restore-weights':
        restore_weights(Path(args.stage_dir) / 'weights', Path(args.weights_dir))
        print(f'float32 weights from their float16 copies in {args.weights_dir}')
    else:
        settings = dict(device=describe_device(args.device), iters=args.iters, batch=args.batch,
                        img_size=args.img_size, train_options=args.train_options or 'float32')
        print(summary_markdown(summarise(args.run_dir, settings)), end='')


if __name__ == '__main__':
    main()
