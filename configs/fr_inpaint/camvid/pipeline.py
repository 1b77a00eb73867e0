# The whole method on CamVid with CPU-sized schedules at 128x128 in the paper's form (white
# holes, GAN 1.0, a fresh refiner; the best CamVid recipe is pipeline_pyramid.py, the CPU recipe
# every other data set uses), one command (the method's phases:
# configs/fr_inpaint/_base_/pipeline.py, with the CPU student budget of _base_/pipeline_cpu.py;
# the stage configs below say what each trains):
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline.py [--label-ratio 0.25]
# Work dirs: work_dirs/fr_inpaint/camvid_r<ratio>/<phase>/ (checkpoints, logs, phase_config.py,
# pseudo-label rounds, metrics.json); the tables land in results.md next to them.
_base_ = ['../_base_/pipeline_cpu.py']
name = 'camvid'
data_root = 'data/camvid'

stages = dict(
    coarse='configs/fr_inpaint/camvid/coarse_cpu.py',
    segmentor='configs/fr_inpaint/camvid/seg_cpu.py',
    refiner='configs/fr_inpaint/camvid/refine_cpu.py',
    floor='configs/baselines/opencv_telea_camvid_128.py')
tables = dict(
    inpainting=dict(
        title='Inpainting (CamVid val at 128x128, 101 images x 3 masks): composited output, '
        'LPIPS AlexNet'),
    segmentation=dict(
        title='Segmentation (CamVid val at 128x128, 11 classes): mIoU / aAcc on clean and '
        'coarse-inpainted images'))
