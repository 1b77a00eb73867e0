"""The phases of a pipeline config and the phase configs they resolve to.

A pipeline config (``configs/fr_inpaint/<dataset>/pipeline.py``, inheriting the method's phases
from ``configs/fr_inpaint/_base_/pipeline.py``) names the data set, its stage configs and
defaults, and lists the phases in order::

    name = 'camvid'
    data_root = 'data/camvid'
    label_ratio = 0.5
    stages = dict(coarse='configs/fr_inpaint/camvid/coarse_cpu.py', ...)
    phases = [
        dict(name='coarse', stage='coarse'),
        dict(name='seg_step2_sia', stage='segmentor',
             set={'model.inpainter': dict(config='{coarse.config}',
                                          checkpoint='{coarse.checkpoint}')}),
        dict(name='test_sia_inpainted', test='seg_step2_sia',
             report=dict(table='segmentation', row='S_ia (step 2)', prefix='I_inc ')),
    ]
    phase_settings = dict(seg_step2_sia={'train_cfg.max_iters': 100})

A *train* phase trains its config (``config=<file>``, or ``stage=<role>``: the file
``stages[role]``); a *test* phase (``test``) evaluates the config and final checkpoint of the
train phase it names (or, with ``test=None``, its own config without a checkpoint:
parameter-free baselines), and writes ``metrics.json``. ``set`` overrides config keys (dotted,
as ``--cfg-options``), then ``phase_settings[<phase>]`` (a data set's budget on top of the
method's settings); their strings may name earlier results: ``{<phase>.checkpoint}`` (final
checkpoint of a train phase), ``{<phase>.config}`` (its config file), ``{<phase>.work_dir}`` and
``{work_root}``. Every phase also gets the pipeline's data root and label ratio on all its
datasets (``data_root``, ``split_ratio``, and the ratio in ``split_file``'s name), so one option
switches the data of the whole run. ``split_draw = 'nested'`` (default ``'independent'``) draws
the label-ratio split so that each smaller ratio's labelled images are among each larger one's
(``datasets/label_ratio_split.py``), in a file of its own (``..._nested.txt``). ``split_seed``
(default 0; the command line may replace it) draws another split, in files named for its seed
(``..._seed<s>...``), so a study can measure the spread over splits beside the spread over
training seeds.

Students: a train phase with ``student=dict(teacher=<earlier train phase>[, steps=k])`` learns
from its teacher's pseudo-labels. With ``student_finetune = None`` (the default: CISC-R) it is
retrained from its config's initial weights with its own schedule; with
``student_finetune = dict(iterations=N, lr=LR)`` it starts from the teacher's final checkpoint
and trains ``k * N`` iterations at learning rate ``LR``, each of its config's schedulers that
ended with its schedule shortened alike (a budget for machines where retraining every student
does not fit). ``phase_settings`` still come last.

Budgets that follow the labelled images: ``ratio_budget = {<train phase>: dict(iterations=N,
at_ratio=R, minimum=M)}`` trains that phase ``max(M, ceil(N * r / R))`` iterations at label
ratio ``r`` (as many epochs over the labelled part at every ratio, never under ``M``), each of its
config's schedulers that ended with its schedule stretched alike; e.g. a labelled-only phase that
needs 1200 iterations at 1/2 keeps 600 at 1/8 instead of seeing its 46 images 200 times.
On a fine-tuned student it replaces ``k * N`` (the student still starts from its teacher at
``student_finetune``'s learning rate), so a student can follow a teacher budgeted the same way.
Applied before ``phase_settings``.

Seeds: ``seeded_phases`` (train phases) run once per seed of ``seeds`` (default ``[0]``; the
command line may replace it). The first seed keeps the phase's name; every further seed ``s``
adds a copy ``<phase>_seed<s>`` (``randomness.seed = s``, work dir of its own) and copies of the
test phases of that phase, appended after all other phases, so one seed's results come first.
Test phases of the same report row then give one mean (± std) per cell.
"""
import copy
import math
import os.path as osp
import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Sequence

from mmengine.config import Config

from ..datasets.label_ratio_split import check_draw

REFERENCE = re.compile(r'\{([A-Za-z0-9_]+)\.(checkpoint|config|work_dir)\}')
RATIO_IN_NAME = re.compile(r'ratio[0-9]*\.?[0-9]+')
SEED_IN_NAME = re.compile(r'seed[0-9]+')
PHASE_NAME = re.compile(r'^[A-Za-z0-9_]+$')


@dataclass
class Phase:
    """One step of the pipeline (see the module docstring)."""
    name: str
    config: str
    kind: str  # 'train' or 'test'
    tested_phase: Optional[str] = None
    overrides: Dict[str, Any] = field(default_factory=dict)
    report: Optional[dict] = None
    seed: Optional[int] = None  # set on the phases of seeded_phases and their tests


@dataclass
class PipelinePlan:
    name: str
    data_root: str
    label_ratio: float
    work_root: str
    phases: List[Phase]
    tables: Dict[str, dict]
    split_draw: str = 'independent'
    split_seed: int = 0

    def phase(self, name: str) -> Phase:
        for phase in self.phases:
            if phase.name == name:
                return phase
        raise KeyError(f'no phase named {name!r}; phases: {[p.name for p in self.phases]}')

    def work_dir(self, name: str) -> str:
        return osp.join(self.work_root, name)


def load_plan(path: str, data_root: Optional[str] = None, label_ratio: Optional[float] = None,
              work_root: Optional[str] = None,
              seeds: Optional[Sequence[int]] = None,
              split_seed: Optional[int] = None) -> PipelinePlan:
    """Read a pipeline config; ``data_root``/``label_ratio``/``work_root``/``seeds``/``split_seed``
    replace its defaults (the default work root is ``work_dirs/fr_inpaint/<name>_r<label_ratio>``,
    ``..._s<split_seed>`` appended for a split seed other than 0)."""
    cfg = Config.fromfile(path)
    for key in ('name', 'data_root', 'label_ratio', 'phases'):
        if key not in cfg:
            raise KeyError(f'pipeline config {path} has no {key!r}')
    ratio = float(label_ratio if label_ratio is not None else cfg.label_ratio)
    if not 0 < ratio <= 1:
        raise ValueError(f'label ratio must be in (0, 1], got {ratio}')
    split_seed = split_seed if split_seed is not None else cfg.get('split_seed', 0)
    if isinstance(split_seed, bool) or not isinstance(split_seed, int) or split_seed < 0:
        raise ValueError(f'{path}: split_seed must be a non-negative integer, got {split_seed!r}')
    root = work_root or osp.join('work_dirs', 'fr_inpaint', f'{cfg.name}_r{ratio:g}'
                                 + (f'_s{split_seed}' if split_seed else ''))
    stages = dict(cfg.get('stages', {}))
    settings = dict(cfg.get('phase_settings', {}))
    finetune = _checked_finetune(cfg.get('student_finetune'), path)
    budgets = _checked_budgets(cfg.get('ratio_budget', {}), path)
    phases: List[Phase] = []
    for spec in cfg.phases:
        spec = dict(spec)
        overrides = dict(spec.get('set', {}))
        student = spec.pop('student', None)
        config = spec.get('config', stages.get(spec.get('stage')))
        if student is not None:
            overrides.update(_student_overrides(spec, student, finetune, config, phases, path))
        budget = budgets.pop(spec.get('name'), None)
        if budget is not None:
            iterations = max(budget['minimum'],
                             math.ceil(budget['iterations'] * ratio / budget['at_ratio']))
            overrides.update(_schedule_overrides(config, iterations))
        overrides.update(settings.pop(spec.get('name'), {}))
        if overrides:
            spec['set'] = overrides
        phases.append(_phase(spec, phases, stages, path))
    if budgets:
        raise KeyError(f'{path}: ratio_budget names phases the pipeline does not have: '
                       f'{sorted(budgets)}; phases: {[p.name for p in phases]}')
    if settings:
        raise KeyError(f'{path}: phase_settings names phases the pipeline does not have: '
                       f'{sorted(settings)}; phases: {[p.name for p in phases]}')
    seeds = [int(s) for s in (seeds if seeds is not None else cfg.get('seeds', [0]))]
    phases = _with_seeds(phases, list(cfg.get('seeded_phases', [])), seeds, path)
    split_draw = cfg.get('split_draw', 'independent')
    check_draw(split_draw)
    return PipelinePlan(name=cfg.name, data_root=data_root or cfg.data_root, label_ratio=ratio,
                        work_root=root, phases=phases, tables=dict(cfg.get('tables', {})),
                        split_draw=split_draw, split_seed=split_seed)


def _checked_finetune(finetune: Optional[dict], path: str) -> Optional[dict]:
    if finetune is None:
        return None
    finetune = dict(finetune)
    if set(finetune) != {'iterations', 'lr'}:
        raise ValueError(f'{path}: student_finetune takes iterations and lr, got '
                         f'{sorted(finetune)}')
    if not isinstance(finetune['iterations'], int) or finetune['iterations'] < 1 \
            or not finetune['lr'] > 0:
        raise ValueError(f'{path}: student_finetune needs iterations >= 1 and lr > 0, got '
                         f'{finetune}')
    return finetune


def _checked_budgets(budgets: dict, path: str) -> Dict[str, dict]:
    checked = {}
    for name, budget in dict(budgets).items():
        budget = dict(budget)
        if set(budget) != {'iterations', 'at_ratio', 'minimum'}:
            raise ValueError(f'{path}: ratio_budget[{name!r}] takes iterations, at_ratio and '
                             f'minimum, got {sorted(budget)}')
        if not all(isinstance(budget[k], int) and budget[k] >= 1
                   for k in ('iterations', 'minimum')) or not 0 < budget['at_ratio'] <= 1:
            raise ValueError(f'{path}: ratio_budget[{name!r}] needs iterations and minimum '
                             f'(integers >= 1) and at_ratio in (0, 1], got {budget}')
        checked[name] = budget
    return checked


def _schedule_overrides(config: Optional[str], iterations: int) -> dict:
    """The overrides that train ``config`` for ``iterations``, each scheduler that ended with its
    schedule ending with the new one (none for a missing config, which _phase reports)."""
    if config is None or not osp.isfile(config):
        return {}
    stage = Config.fromfile(config)
    schedulers = stage.get('param_scheduler') or []
    schedulers = [dict(s) for s in ([schedulers] if isinstance(schedulers, dict) else schedulers)]
    for scheduler in schedulers:
        if scheduler.get('end') == stage.train_cfg.get('max_iters'):
            scheduler['end'] = iterations
    return {'train_cfg.max_iters': iterations, 'param_scheduler': schedulers}


def _student_overrides(spec: dict, student: dict, finetune: Optional[dict],
                       config: Optional[str], earlier: List[Phase], path: str) -> dict:
    """The overrides that make the train phase ``spec`` a student fine-tuned from its teacher
    (none where students are retrained; see the module docstring)."""
    name = spec.get('name')
    student = dict(student)
    teacher, steps = student.pop('teacher', None), student.pop('steps', 1)
    if student or not isinstance(steps, int) or steps < 1:
        raise ValueError(f'{path}: phase {name!r}: student takes teacher=<phase> and steps '
                         f'(an integer >= 1), got {dict(student, teacher=teacher, steps=steps)}')
    if teacher not in {p.name for p in earlier if p.kind == 'train'}:
        raise ValueError(f'{path}: phase {name!r} is a student of {teacher!r}, which is not an '
                         'earlier train phase')
    if finetune is None:
        return {}  # retrained
    schedule = _schedule_overrides(config, finetune['iterations'] * steps)
    if not schedule:
        return {}  # a missing config, which _phase reports
    return {'load_from': '{%s.checkpoint}' % teacher, 'optim_wrapper.optimizer.lr': finetune['lr'],
            **schedule}


def _phase(spec: dict, earlier: List[Phase], stages: Dict[str, str], path: str) -> Phase:
    name = spec.pop('name', None)
    if not name or not PHASE_NAME.match(name):
        raise ValueError(f'{path}: every phase needs a name of letters, digits and _, got {name!r}')
    if name in {p.name for p in earlier}:
        raise ValueError(f'{path}: phase {name!r} appears twice')
    overrides = dict(spec.pop('set', {}))
    report = spec.pop('report', None)
    if 'stage' in spec:
        stage = spec.pop('stage')
        if 'config' in spec:
            raise ValueError(f'{path}: phase {name!r} gives both stage= and config=')
        if stage not in stages:
            raise KeyError(f'{path}: phase {name!r} trains the {stage!r} stage, but stages '
                           f'names only {sorted(stages)}: add stages[{stage!r}] = <config file>')
        spec['config'] = stages[stage]
    trained = {p.name: p for p in earlier if p.kind == 'train'}
    for reference, what in REFERENCE.findall(repr(overrides)):
        if reference not in {p.name for p in earlier}:
            raise ValueError(f'{path}: phase {name!r} refers to {reference!r}, which is not an '
                             'earlier phase')
        if what in ('checkpoint', 'config') and reference not in trained:
            raise ValueError(f'{path}: phase {name!r} refers to the {what} of '
                             f'{reference!r}, which is not a train phase')
    if 'test' in spec and spec['test'] is None:  # a parameter-free model (OpenCV floor)
        spec.pop('test')
        if 'config' not in spec:
            raise ValueError(f'{path}: test phase {name!r} without a tested phase needs config=')
        config, tested, kind = spec.pop('config'), None, 'test'
    elif 'test' in spec:
        tested = spec.pop('test')
        if tested not in trained:
            raise ValueError(f'{path}: test phase {name!r} tests {tested!r}, which is not an '
                             'earlier train phase')
        config = spec.pop('config', trained[tested].config)
        # the tested phase's own overrides first, then the test's
        overrides = {**trained[tested].overrides, **overrides}
        kind = 'test'
    elif 'config' in spec:
        config, tested, kind = spec.pop('config'), None, 'train'
    else:
        raise ValueError(f'{path}: phase {name!r} needs config= (train) or test= (test)')
    if spec:
        raise ValueError(f'{path}: phase {name!r} has unknown keys {sorted(spec)}')
    if not osp.isfile(config):
        raise FileNotFoundError(f'{path}: phase {name!r}: config {config} does not exist '
                                '(paths are relative to the working directory: run from the '
                                'repository root)')
    return Phase(name=name, config=config, kind=kind, tested_phase=tested,
                 overrides=overrides, report=report)


def _with_seeds(phases: List[Phase], seeded: List[str], seeds: List[int],
                path: str) -> List[Phase]:
    """``phases`` with every seeded train phase and its tests repeated for the seeds after the
    first (see the module docstring)."""
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f'{path}: seeds must be distinct integers, got {seeds}')
    trained = {p.name for p in phases if p.kind == 'train'}
    unknown = sorted(set(seeded) - trained)
    if unknown:
        raise ValueError(f'{path}: seeded_phases must name train phases, got {unknown}')
    if seeds == [0]:  # the runtime's own seed: the configs stay as they are
        return phases

    def seeded_copy(phase: Phase, seed: int, rename: bool) -> Phase:
        suffix = f'_seed{seed}' if rename else ''
        return replace(
            phase, name=phase.name + suffix, seed=seed,
            tested_phase=phase.tested_phase and phase.tested_phase + suffix,
            overrides={**phase.overrides, 'randomness.seed': seed})

    first, extra = [], []
    for phase in phases:
        source = phase.name if phase.kind == 'train' else phase.tested_phase
        if source not in seeded:
            first.append(phase)
            continue
        first.append(seeded_copy(phase, seeds[0], rename=False))
        extra += [(seed, seeded_copy(phase, seed, rename=True)) for seed in seeds[1:]]
    return first + [phase for _, phase in sorted(extra, key=lambda item: item[0])]


def resolve_references(value: Any, plan: PipelinePlan, checkpoints: Dict[str, str]) -> Any:
    """``value`` with every ``{phase.checkpoint}``, ``{phase.config}``, ``{phase.work_dir}`` and
    ``{work_root}`` replaced (recursively through dicts, lists and tuples)."""
    if isinstance(value, dict):
        return {k: resolve_references(v, plan, checkpoints) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(resolve_references(v, plan, checkpoints) for v in value)
    if not isinstance(value, str):
        return value

    def replace(match):
        phase, what = match.groups()
        if what == 'work_dir':
            return plan.work_dir(phase)
        if what == 'config':
            return plan.phase(phase).config
        if phase not in checkpoints:
            raise KeyError(f'{{{phase}.checkpoint}} is needed before phase {phase!r} finished')
        return checkpoints[phase]

    return REFERENCE.sub(replace, value).replace('{work_root}', plan.work_root)


def set_data(node: Any, data_root: str, label_ratio: float,
             split_draw: str = 'independent', split_seed: int = 0) -> None:
    """Point every dataset config under ``node`` at ``data_root``, ``label_ratio``,
    ``split_draw`` and ``split_seed`` (the last two only where they are not the defaults, so the
    configs of earlier runs stay as they were)."""
    if isinstance(node, dict):
        if 'data_root' in node:
            node['data_root'] = data_root
        if 'split_ratio' in node and node['split_ratio'] is not None:
            node['split_ratio'] = label_ratio
        if 'label_ratio' in node:  # the dataset bases' own variable, which split_ratio copies
            node['label_ratio'] = label_ratio
        split_file = node.get('split_file')
        if isinstance(split_file, str) and RATIO_IN_NAME.search(split_file):
            split_file = RATIO_IN_NAME.sub(f'ratio{label_ratio:g}', split_file)
            if split_seed != 0:
                folder, file_name = osp.split(split_file)
                stem, ext = osp.splitext(file_name)
                stem = (SEED_IN_NAME.sub(f'seed{split_seed}', stem) if SEED_IN_NAME.search(stem)
                        else f'{stem}_seed{split_seed}')
                split_file = osp.join(folder, stem + ext)
                node['split_seed'] = split_seed
            if split_draw != 'independent':
                stem, ext = osp.splitext(split_file)
                if not stem.endswith(f'_{split_draw}'):  # a config may name the file already
                    split_file = f'{stem}_{split_draw}{ext}'
                node['split_draw'] = split_draw
            node['split_file'] = split_file
        for value in node.values():
            set_data(value, data_root, label_ratio, split_draw, split_seed)
    elif isinstance(node, (list, tuple)):
        for value in node:
            set_data(value, data_root, label_ratio, split_draw, split_seed)


def phase_config(plan: PipelinePlan, phase: Phase, checkpoints: Dict[str, str]) -> Config:
    """The config a phase runs: its file, the pipeline's data, the resolved ``set``
    overrides, its work dir, and a progress bar named after it."""
    cfg = Config.fromfile(phase.config)
    cfg.merge_from_dict(resolve_references(copy.deepcopy(phase.overrides), plan, checkpoints),
                        allow_list_keys=True)
    data = cfg.to_dict()
    set_data(data, plan.data_root, plan.label_ratio, plan.split_draw, plan.split_seed)
    cfg = Config(data, filename=phase.config)
    cfg.work_dir = plan.work_dir(phase.name)
    hooks = [h for h in cfg.get('custom_hooks', []) if h.get('type') != 'ProgressBarHook']
    cfg.custom_hooks = hooks + [dict(type='ProgressBarHook', desc=phase.name)]
    return cfg
