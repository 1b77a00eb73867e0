# The whole method on the embedded demo scenes (python tools/make_demo_data.py), quickstart-sized,
# one command (the method's phases: configs/fr_inpaint/_base_/pipeline.py):
#   python tools/train_pipeline.py configs/fr_inpaint/demo/pipeline.py \
#       --work-root work_dirs/quickstart/demo
# The demo's labelled/unlabelled split is fixed by the data (train/unlabelled.txt: half of the
# training images), so label_ratio changes nothing here. Work dirs: <work-root>/<phase>/; the
# tables land in <work-root>/results.md.
_base_ = ['../_base_/pipeline.py']
name = 'demo'
data_root = 'data/demo'

stages = dict(
    coarse='configs/fr_inpaint/demo/coarse.py',
    segmentor='configs/fr_inpaint/demo/seg.py',
    refiner='configs/fr_inpaint/demo/refine.py',
    floor='configs/baselines/opencv_telea_demo_scenes.py')
seeds = [0]  # one run of each refiner: the quickstart's budget
# 100 iterations of the pretrained segmentor fit the quickstart's budget once, not six times: the
# demo's students fine-tune from their teachers instead of retraining from the ImageNet weights
# (the method's default), 20 iterations at half the learning rate (the no-filter baseline: 40,
# as steps 4 + 5).
student_finetune = dict(iterations=20, lr=0.0025)
tables = dict(
    inpainting=dict(title='Inpainting (demo val at 64x64, fixed masks): PSNR / SSIM / LPIPS per '
                    'hole-ratio bucket'),
    segmentation=dict(title='Segmentation (demo val at 64x64, 6 classes): mIoU / aAcc on clean and '
                      'coarse-inpainted images'))
