# Pair each test image with one fixed hole mask per hole-ratio bucket, (0,20%], (20,40%],
# (40,60%], by each mask's hole ratio measured after resizing to the working size (nearest).
# The list is deterministic for a seed; a different existing list is only replaced with --force.
# Images come from a config's dataset (keys match that dataset) or from a folder:
#   python tools/make_mask_list.py --mask-dir data/irregular_masks \
#       --config configs/_base_/datasets/camvid.py --out data/mask_lists/camvid_val_256.txt
#   python tools/make_mask_list.py --mask-dir data/demo/masks --data-root data/demo \
#       --img-dir val/img --img-suffix .png --size 256 --out data/demo/mask_list_val.txt
# See fr_inpaint_plugin/datasets/mask_list.py for the file format.
import argparse

from mmagic.registry import DATASETS
from mmengine.config import Config
from mmengine.registry import init_default_scope

import fr_inpaint_plugin  # noqa: F401  (applies compat shims, registers our components)
from fr_inpaint_plugin.cli.args import CfgOptionsAction
from fr_inpaint_plugin.datasets.folder_dataset import FolderInpaintDataset
from fr_inpaint_plugin.datasets.hole_masks import format_bucket
from fr_inpaint_plugin.datasets.inpaint_seg_dataset import as_hw
from fr_inpaint_plugin.datasets.mask_list import build_mask_list, write_mask_list


def parse_args():
    parser = argparse.ArgumentParser(description='Build a bucketed image -> mask list')
    parser.add_argument('--mask-dir', required=True, help='folder of masks (255 = hole)')
    parser.add_argument('--out', required=True, help='mask list file to write')
    parser.add_argument('--config', help='take the images from this config\'s dataset')
    parser.add_argument('--loader', default='test_dataloader',
                        help='dataloader of --config whose dataset is paired (default: test)')
    parser.add_argument('--cfg-options', nargs='+', action=CfgOptionsAction,
                        help='override settings in --config, e.g. '
                        'test_dataloader.dataset.data_root=...')
    parser.add_argument('--data-root', default='', help='without --config: dataset root')
    parser.add_argument('--img-dir', help='without --config: image folder under --data-root')
    parser.add_argument('--img-suffix', nargs='+', default=['.jpg', '.png'],
                        help='without --config: image file endings')
    parser.add_argument('--size', type=int, nargs='+',
                        help='working size H [W] the ratios are measured at (default: the '
                        'dataset\'s img_size with --config, else 256)')
    parser.add_argument('--seed', type=int, default=0, help='seed of the mask draw')
    parser.add_argument('--force', action='store_true', help='replace a different list')
    return parser.parse_args()


def image_dataset(args):
    """The dataset whose image keys the list pairs (its own mask list switched off)."""
    if args.config is None:
        if args.img_dir is None:
            raise SystemExit('give --config, or --img-dir (with --data-root)')
        return FolderInpaintDataset(data_root=args.data_root, img_dir=args.img_dir,
                                    img_suffix=tuple(args.img_suffix))
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmagic'))
    dataset_cfg = cfg[args.loader].dataset
    dataset_cfg.update(mask_list=None, pipeline=[])
    return DATASETS.build(dataset_cfg)


def main():
    args = parse_args()
    dataset = image_dataset(args)
    if args.size:
        size = as_hw(args.size[0] if len(args.size) == 1 else args.size)
    else:
        size = dataset.img_size if args.config else (256, 256)
    keys = sorted({dataset.get_data_info(i)['img_key'] for i in range(len(dataset))})
    mask_list = build_mask_list(keys, args.mask_dir, size, seed=args.seed)
    written = write_mask_list(args.out, mask_list, overwrite=args.force)
    print(f'{"wrote" if written else "unchanged"} {args.out}: {len(keys)} images x '
          f'{len(mask_list.buckets)} buckets at {size[0]}x{size[1]}')
    for bucket in mask_list.buckets:
        masks = [entry.mask for entry in mask_list.entries if entry.bucket == bucket]
        print(f'  {format_bucket(bucket)}: {len(masks)} pairs, {len(set(masks))} distinct masks')

if __name__ == '__main__':
    main()
