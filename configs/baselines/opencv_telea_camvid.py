# OpenCV Telea (fast marching) inpainting on camvid's test buckets: a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_telea_camvid.py --out results.json
_base_ = [
    '../_base_/models/opencv_inpaint.py',
    '../_base_/datasets/camvid.py',
    '../_base_/default_runtime.py',
]
