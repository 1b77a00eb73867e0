# Speed of the CamVid CPU recipe's models next to MMagic's inpaintors and OpenCV, at the recipe's
# working size (128x128), untrained weights (speed only):
#   python tools/benchmark.py configs/benchmarks/camvid_cpu.py
# Writes work_dirs/benchmark/camvid_cpu/benchmark.{json,md,png}.
img_size = (128, 128)
warmup = 2
repeats = 5
throughput_batch = 8
# The refine config holds the whole method (FeedbackInpaintor: G_c, S, G_s).
pipeline = 'configs/fr_inpaint/camvid/refine_cpu.py'
mmagic_inpaintors = {
    'MMagic AOT-GAN': 'mmagic::aot_gan/aot-gan_smpgan_4xb4_places-512x512.py',
    'MMagic DeepFillv2': 'mmagic::deepfillv2/deepfillv2_8xb2_places-256x256.py',
    'MMagic GLCIC': 'mmagic::global_local/gl_8xb12_places-256x256.py',
}
opencv = ['telea']
reference = 'MMagic AOT-GAN'  # the ratio column: latency / AOT-GAN's
# Training throughput: a few iterations of each phase's config (needs data/camvid).
train_phases = dict(
    coarse='configs/fr_inpaint/camvid/coarse_cpu.py',
    segmentor='configs/fr_inpaint/camvid/seg_cpu.py',
    refiner='configs/fr_inpaint/camvid/refine_cpu.py')
train_warmup = 1
train_repeats = 3
