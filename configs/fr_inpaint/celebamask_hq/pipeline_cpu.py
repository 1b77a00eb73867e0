# The whole method on the CelebAMask-HQ faces subset (../shared/data/celebamask_1k linked as
# data/celebamask_1k: 850 labelled faces, 100 of them held out for testing, + 100 unlabelled)
# with the CPU recipes at 128x128, one command (the method's phases:
# configs/fr_inpaint/_base_/pipeline.py):
#   python tools/train_pipeline.py configs/fr_inpaint/celebamask_hq/pipeline_cpu.py \
#       [--label-ratio 0.125]
# Work dirs: work_dirs/fr_inpaint/celebamask_1k_cpu_r<ratio>/<phase>/; tables in results.md.
_base_ = ['../_base_/pipeline_cpu.py']
name = 'celebamask_1k_cpu'
data_root = 'data/celebamask_1k'

stages = dict(
    coarse='configs/fr_inpaint/celebamask_hq/coarse_cpu.py',
    segmentor='configs/fr_inpaint/celebamask_hq/seg_cpu.py',
    refiner='configs/fr_inpaint/celebamask_hq/refine_cpu.py',
    floor='configs/baselines/opencv_telea_celebamask_hq_128.py')
tables = dict(
    inpainting=dict(
        title='Inpainting (CelebAMask-HQ 1k subset, 100 held-out faces at 128x128 x 3 masks): '
        'composited output, LPIPS AlexNet'),
    segmentation=dict(
        title='Segmentation (CelebAMask-HQ 1k subset at 128x128, 15 classes): mIoU / aAcc on '
        'clean and coarse-inpainted faces'))
