# OpenCV Telea (fast marching) inpainting on celebamask_hq's test buckets: a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_telea_celebamask_hq.py --out results.json
_base_ = [
    '../_base_/models/opencv_inpaint.py',
    '../_base_/datasets/celebamask_hq.py',
    '../_base_/default_runtime.py',
]
