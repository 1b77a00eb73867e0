# The whole method on CelebAMask-HQ at the paper's settings (256x256, batch 24; GPU-sized), one
# command (the method's phases: configs/fr_inpaint/_base_/pipeline.py):
#   python tools/train_pipeline.py configs/fr_inpaint/celebamask_hq/pipeline.py \
#       [--label-ratio 0.125]
# Work dirs: work_dirs/fr_inpaint/celebamask_hq_r<ratio>/<phase>/; the tables land in results.md.
_base_ = ['../_base_/pipeline.py']
name = 'celebamask_hq'
data_root = 'data/celebamask_hq'
stages = dict(
    coarse='configs/fr_inpaint/celebamask_hq/coarse.py',
    segmentor='configs/fr_inpaint/celebamask_hq/seg.py',
    refiner='configs/fr_inpaint/celebamask_hq/refine.py',
    floor='configs/baselines/opencv_telea_celebamask_hq.py')
tables = dict(
    inpainting=dict(
        title='Inpainting (CelebAMask-HQ test images at 256x256 x 3 masks): composited output, '
        'LPIPS AlexNet'),
    segmentation=dict(
        title='Segmentation (CelebAMask-HQ, 15 classes): mIoU / aAcc on clean and coarse-inpainted '
        'images'))
