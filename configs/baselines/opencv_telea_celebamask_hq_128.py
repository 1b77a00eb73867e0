# OpenCV Telea on the CelebAMask-HQ test faces at 128x128, the CPU recipes' working size (the
# same images and test-mask list as their learned stages): the floor of their tables.
#   python tools/test.py configs/baselines/opencv_telea_celebamask_hq_128.py --out results.json
_base_ = [
    '../_base_/models/opencv_inpaint.py',
    '../_base_/datasets/celebamask_hq_128.py',
    '../_base_/default_runtime.py',
]
