# The whole method on CamVid (CPU-sized, 128x128) with the CPU recipes of every data set
# (configs/fr_inpaint/_base_/*_cpu.py): G_c starts from the pyramid fill with GAN weight 0.1
# (coarse_cpu_pyramid.py); the refiners start from G_c's encoder and decoder, weigh their
# reconstruction terms 10, have no style term and train 320 iterations with an EMA
# (refine_cpu_pyramid.py); every other phase as pipeline.py (the paper-form stages).
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_pyramid.py [--label-ratio R]
_base_ = ['./pipeline.py']
name = 'camvid_pyramid'
stages = dict(
    coarse='configs/fr_inpaint/camvid/coarse_cpu_pyramid.py',
    refiner='configs/fr_inpaint/camvid/refine_cpu_pyramid.py')
