# The whole method on Cityscapes at the paper's settings (256x256, batch 24; GPU-sized), one
# command (the method's phases: configs/fr_inpaint/_base_/pipeline.py):
#   python tools/train_pipeline.py configs/fr_inpaint/cityscapes/pipeline.py [--label-ratio 0.125]
# Work dirs: work_dirs/fr_inpaint/cityscapes_r<ratio>/<phase>/; the tables land in results.md.
_base_ = ['../_base_/pipeline.py']
name = 'cityscapes'
data_root = 'data/cityscapes'
stages = dict(
    coarse='configs/fr_inpaint/cityscapes/coarse.py',
    segmentor='configs/fr_inpaint/cityscapes/seg.py',
    refiner='configs/fr_inpaint/cityscapes/refine.py',
    floor='configs/baselines/opencv_telea_cityscapes.py')
tables = dict(
    inpainting=dict(
        title='Inpainting (Cityscapes test images at 256x256 x 3 masks): composited output, '
        'LPIPS AlexNet'),
    segmentation=dict(
        title='Segmentation (Cityscapes, 20 classes): mIoU / aAcc on clean and coarse-inpainted '
        'images'))
