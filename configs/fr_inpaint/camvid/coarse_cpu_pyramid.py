# The coarse CPU recipe starting from a smooth fill: the holes of G_c's input hold the push-pull
# interpolation of the known pixels (`prefill='pyramid'`) instead of white, and G_c predicts a
# zero-initialised correction of it (`residual=True`), so the untrained stage already scores
# about as OpenCV Telea does and 3000 CPU iterations go into improving on it. The paper's form
# (white holes, whole image through tanh) is coarse_cpu.py. Figures: docs/results.md.
#   python tools/train.py configs/fr_inpaint/camvid/coarse_cpu_pyramid.py
_base_ = ['./coarse_cpu.py']
model = dict(prefill='pyramid', encdec=dict(residual=True))
experiment_name = 'coarse_camvid_cpu_pyramid'
