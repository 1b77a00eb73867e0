# Inpaint images of any size with the trained pipeline (coarse -> segmentor -> refiner).
#   python tools/inpaint.py work_dirs/refine/iter_N.pth --img photo.jpg --mask hole.png --out out/
#   python tools/inpaint.py work_dirs/refine/iter_N.pth --img imgs/ --mask masks/ --out out/
#   python tools/inpaint.py work_dirs/refine/iter_N.pth --img imgs/ --mask masks/ --out out/ \
#       --grid --gt originals/
# Folders pair images and masks (and --gt images) by file stem (or one mask file serves every
# image). Writes <out>/<stem>.png (+ <stem>_semantic.png, <stem>_coarse.png, <stem>_grid.png),
# each atomically.
import argparse
import os
import os.path as osp
import pickle
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

import fr_inpaint_plugin  # noqa: F401  (applies compat shims, registers our components)
from fr_inpaint_plugin.apis import FeedbackInpaintingInferencer, InpaintResult
from fr_inpaint_plugin.apis.feedback_inpainting_inferencer import read_image
from fr_inpaint_plugin.utils import png_bytes, write_bytes_atomically

IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp')
# How many unmatched names an error lists before it says "and N more".
LIST_LIMIT = 10


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Inpaint images (any size) with a trained feedback-recorrection pipeline')
    parser.add_argument('checkpoint', nargs='?',
                        help='pipeline checkpoint (the final checkpoint of a refine run); omit '
                        'it to give --config and the three stage checkpoints instead')
    parser.add_argument('--img', required=True, help='an image file or a folder of images')
    parser.add_argument('--mask', required=True,
                        help='a mask file (used for every image) or a folder of masks named '
                        'like the images (same stem); 255 (or 1) = hole, 0 = known')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--config', help="config (default: the checkpoint's own meta['cfg'])")
    parser.add_argument('--coarse-checkpoint', help='coarse stage checkpoint (stage mode)')
    parser.add_argument('--segmentor-checkpoint', help='segmentor checkpoint (stage mode)')
    parser.add_argument('--refiner-checkpoint', help='refine-phase checkpoint (stage mode)')
    parser.add_argument('--invert-mask', action='store_true',
                        help='the masks mark holes with 0 and known pixels with 255')
    parser.add_argument('--save-semantic', action='store_true',
                        help='also write <stem>_semantic.png: a palette PNG whose pixel values '
                        'are the class ids (read them with PIL) and which viewers show in the '
                        "data set's colours")
    parser.add_argument('--save-coarse', action='store_true',
                        help='also write <stem>_coarse.png (the coarse stage result)')
    parser.add_argument('--grid', action='store_true',
                        help='also write <stem>_grid.png: masked input | coarse | semantic map | '
                        'refined (| ground truth with --gt), side by side')
    parser.add_argument('--gt',
                        help='ground-truth image file or folder (paired by stem) for the last '
                        'column of --grid')
    parser.add_argument('--img-size', type=int, nargs='+', metavar='SIZE',
                        help="working size, H [W], a multiple of 64 (default: the config's "
                        'test img_size)')
    parser.add_argument('--device', default='cpu', help='torch device, e.g. cpu or cuda:0')
    args = parser.parse_args(argv)
    if args.gt is not None and not args.grid:
        parser.error('--gt fills the last column of --grid: pass --grid too')
    if args.img_size is not None:
        if len(args.img_size) not in (1, 2):
            parser.error('--img-size takes H or H W')
        args.img_size = (args.img_size[0], args.img_size[-1])  # H alone means H x H
    return args


def list_images(folder: Path) -> Dict[str, Path]:
    """``{stem: path}`` of the image files directly in ``folder``; two files of one stem (e.g.
    a.png and a.jpg) would write the same output, so they are an error."""
    found: Dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES:
            if path.stem in found:
                raise ValueError(f'{found[path.stem]} and {path} share the stem '
                                 f'{path.stem!r}: their outputs would collide; rename one')
            found[path.stem] = path
    if not found:
        raise ValueError(f'no image files ({", ".join(IMAGE_SUFFIXES)}) in {folder}')
    return found


def _listing(stems: List[str]) -> str:
    shown = ', '.join(stems[:LIST_LIMIT])
    return shown + (f' and {len(stems) - LIST_LIMIT} more' if len(stems) > LIST_LIMIT else '')


def pair_inputs(img: str, mask: str) -> List[Tuple[str, Path, Path]]:
    """``(stem, image, mask)`` triples: one mask file for every image, or masks paired with
    the images by stem. Every image must find its mask; in folder-to-folder mode every mask
    must find its image too (a leftover mask means the folders do not belong together)."""
    img_path, mask_path = Path(img), Path(mask)
    for path, what in ((img_path, '--img'), (mask_path, '--mask')):
        if not path.exists():
            raise FileNotFoundError(f'{what} {path} does not exist: give a file or a folder')
    images = list_images(img_path) if img_path.is_dir() else {img_path.stem: img_path}
    if mask_path.is_file():
        return [(stem, path, mask_path) for stem, path in images.items()]
    masks = list_images(mask_path)
    no_mask = sorted(set(images) - set(masks))
    no_image = sorted(set(masks) - set(images)) if img_path.is_dir() else []
    if no_mask or no_image:
        problems = []
        if no_mask:
            problems.append(f'images without a mask in {mask_path}: {_listing(no_mask)}')
        if no_image:
            problems.append(f'masks without an image in {img_path}: {_listing(no_image)}')
        raise ValueError('; '.join(problems) + '. Masks pair with images by file stem '
                         '(photo.jpg <-> photo.png); rename them, or give one mask file for '
                         'every image')
    return [(stem, path, masks[stem]) for stem, path in images.items()]


def pair_ground_truth(gt: str, stems: List[str]) -> Dict[str, Path]:
    """``{stem: ground-truth image}``: one file (for a single image) or a folder holding an
    image of every stem (it may hold more)."""
    gt_path = Path(gt)
    if not gt_path.exists():
        raise FileNotFoundError(f'--gt {gt_path} does not exist: give a file or a folder')
    if gt_path.is_file():
        if len(stems) != 1:
            raise ValueError(f'--gt {gt_path} is one file for {len(stems)} images: give a '
                             'folder of ground-truth images named like the images')
        return {stems[0]: gt_path}
    found = list_images(gt_path)
    missing = sorted(set(stems) - set(found))
    if missing:
        raise ValueError(f'images without a ground truth in {gt_path}: {_listing(missing)}. '
                         'Ground-truth images pair with images by file stem')
    return {stem: found[stem] for stem in stems}


def grid(image: np.ndarray, result: InpaintResult,
         gt: Optional[np.ndarray] = None) -> np.ndarray:
    """masked input (holes white, as the coarse stage sees them) | coarse | semantic map |
    refined (| ground truth), side by side, at the input's size."""
    masked = image.copy()
    masked[result.hole] = 255
    columns = [masked, result.coarse, result.semantic_color, result.image]
    if gt is not None:
        columns.append(gt)
    return np.concatenate(columns, axis=1)


def write_png(path: Path, image: np.ndarray, palette: Optional[np.ndarray] = None) -> None:
    """An RGB image, or (with ``palette``) class ids as a palette PNG, written atomically."""
    write_bytes_atomically(path, png_bytes(image, palette))


def check_output_folder(out: Path) -> None:
    """Refuse an --out that cannot take the results before any work is done (a missing
    folder is made when the first result is written)."""
    existing = next((p for p in (out, *out.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise ValueError(f'--out {out}: {existing} is a file, not a folder; choose another '
                         '--out folder')
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f'--out {out}: folder {existing} is not writable; choose another '
                         '--out folder or change its permissions')


def main(argv: Optional[List[str]] = None) -> None:
    args = parse_args(argv)
    try:
        pairs = pair_inputs(args.img, args.mask)
        out = Path(args.out)
        check_output_folder(out)
        for stem, image, _ in pairs:
            if osp.abspath(out / f'{stem}.png') == osp.abspath(image):
                raise ValueError(f'writing {out / (stem + ".png")} would overwrite the input '
                                 'image: choose another --out folder')
        gts = pair_ground_truth(args.gt, [stem for stem, _, _ in pairs]) if args.gt else {}
        inpainter = FeedbackInpaintingInferencer(
            args.checkpoint, args.config, coarse_checkpoint=args.coarse_checkpoint,
            segmentor_checkpoint=args.segmentor_checkpoint,
            refiner_checkpoint=args.refiner_checkpoint, device=args.device,
            img_size=args.img_size)
        for index, (stem, image, mask) in enumerate(pairs, 1):
            result = inpainter.inpaint(str(image), str(mask), invert_mask=args.invert_mask)
            write_png(out / f'{stem}.png', result.image)
            if args.save_semantic:
                write_png(out / f'{stem}_semantic.png', result.semantic, inpainter.palette)
            if args.save_coarse:
                write_png(out / f'{stem}_coarse.png', result.coarse)
            if args.grid:
                source = read_image(str(image))[0]
                gt = read_image(str(gts[stem]))[0] if stem in gts else None
                if gt is not None and gt.shape != source.shape:
                    raise ValueError(f'ground truth {gts[stem]} is {gt.shape[0]}x{gt.shape[1]} '
                                     f'but image {image} is {source.shape[0]}x'
                                     f'{source.shape[1]}: they must be the same size')
                write_png(out / f'{stem}_grid.png', grid(source, result, gt))
            print(f'[{index}/{len(pairs)}] {image} -> {out / (stem + ".png")}', flush=True)
    except (FileNotFoundError, ValueError, pickle.UnpicklingError) as error:
        # Bad inputs are the user's to fix: the message names the file and the fix; a
        # traceback through the model code would only hide it.
        sys.exit(f'error: {error}')


if __name__ == '__main__':
    main()
