# CISC-R's own protocol for the step-4 S0 at the CPU budget (not the CPU recipe's fine-tune): the
# student retrained from the ImageNet weights on its teacher's schedule (segmentor_cpu.py's 600
# iterations at lr 0.005), the frozen step-1 S0 recorrecting round 1's reliable pseudo-labels,
# with CISC-R's batches: 8 labelled + 8 pseudo-labelled images per iteration, the two CE means
# added. The teacher trains the same schedule on the labelled images alone, so it is the
# student's labelled-only control: student against teacher is what the pseudo-labels add.
# Both are tested on the clean and the coarse-inpainted (I_inc) val images, so G_c trains first
# (link another run's coarse/ into the work root to skip it). Step 4's round 2 is left out: no
# later step reads it here. One seed per work root (see pipeline_seg_epochs.py):
#   python tools/train_pipeline.py configs/fr_inpaint/camvid/pipeline_seg_s0_retrain.py \
#       --seeds 0 --work-root R
# (about 1.5 h on 2 cores with G_c; docs/results.md, "CISC-R's protocol whole".)
from mmengine.config import Config as _Config

_base_ = ['./pipeline.py']
name = 'camvid_seg_s0_retrain'
student_finetune = None
_kept = ('coarse', 'seg_step1_s0', 'seg_step4_s0',
         'test_seg_step1_s0_clean', 'test_seg_step1_s0_i_inc',
         'test_seg_step4_s0_clean', 'test_seg_step4_s0_i_inc')
phases = [phase for phase in _Config.fromfile('configs/fr_inpaint/camvid/pipeline.py').phases
          if phase['name'] in _kept]
seeds = [0]
seeded_phases = ['seg_step1_s0', 'seg_step4_s0']
phase_settings = dict(seg_step4_s0={
    'train_dataloader.batch_size': 16,
    'train_dataloader.batch_sampler': dict(type='LabelledPseudoBatchSampler'),
    'model.pseudo_label_loss_average': 'separate',
    'custom_hooks': []})
