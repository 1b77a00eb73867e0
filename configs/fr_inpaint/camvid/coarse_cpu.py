# Stage 1 on CamVid, CPU-sized, in the paper's form: the CPU recipe (coarse_cpu_pyramid.py) with
# the holes entering G_c white, G_c predicting the whole image through tanh and the GAN term at
# the paper's 1.0. The form of the paper-form pipeline (pipeline.py); at 3000 iterations it ends
# below OpenCV Telea (docs/results.md), which the smooth-fill recipe does not.
#   python tools/train.py configs/fr_inpaint/camvid/coarse_cpu.py
_base_ = ['./coarse_cpu_pyramid.py']
model = dict(prefill='constant', encdec=dict(residual=False), loss_gan=dict(loss_weight=1.0))
experiment_name = 'coarse_camvid_cpu'
