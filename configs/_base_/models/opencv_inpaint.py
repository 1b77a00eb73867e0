# The classical floor: OpenCV inpainting inside MMagic's OneStageInpaintor (no parameters, no
# checkpoint): the same pipeline, masks, composite and evaluator as every learned model.
model = dict(
    type='OneStageInpaintor',
    data_preprocessor=dict(type='DataPreprocessor', mean=[127.5], std=[127.5]),
    encdec=dict(type='OpenCVInpaintNet', method='telea', radius=3))
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
