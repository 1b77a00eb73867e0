# OpenCV Telea (fast marching) inpainting on cityscapes's test buckets: a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_telea_cityscapes.py --out results.json
_base_ = [
    '../_base_/models/opencv_inpaint.py',
    '../_base_/datasets/cityscapes.py',
    '../_base_/default_runtime.py',
]
