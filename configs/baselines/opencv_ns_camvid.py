# OpenCV Navier-Stokes inpainting on camvid's test buckets: a parameter-free floor.
#   python tools/test.py configs/baselines/opencv_ns_camvid.py --out results.json
_base_ = ['./opencv_telea_camvid.py']
model = dict(encdec=dict(method='ns'))
