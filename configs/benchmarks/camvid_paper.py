# Speed at the paper's settings (256x256, paper widths, the pretrained VGG16 segmentor) next to
# MMagic's inpaintors; inference only (training these on 2 CPU cores is what GPUs are for):
#   python tools/benchmark.py configs/benchmarks/camvid_paper.py
_base_ = ['./camvid_cpu.py']
img_size = (256, 256)
warmup = 1
repeats = 3
pipeline = 'configs/fr_inpaint/camvid/refine.py'
train_phases = dict(_delete_=True)
