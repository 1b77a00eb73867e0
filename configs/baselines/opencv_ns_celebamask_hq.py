# OpenCV Navier-Stokes inpainting on celebamask_hq's test buckets: a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_ns_celebamask_hq.py --out results.json
_base_ = ['./opencv_telea_celebamask_hq.py']
model = dict(encdec=dict(method='ns'))
