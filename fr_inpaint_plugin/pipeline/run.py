"""Run the phases of a pipeline plan through the MMEngine Runner, skipping finished phases and
resuming an interrupted one."""
import glob
import importlib
import json
import logging
import os
import os.path as osp
import re
import socket
import subprocess
import sys
import time
import traceback
from typing import BinaryIO, Callable, Dict, List, Optional

from ..utils import write_text_atomically
from .plan import Phase, PipelinePlan, phase_config

DONE_FILE = 'phase_done.json'
CONFIG_FILE = 'phase_config.py'
METRICS_FILE = 'metrics.json'
LOG_FILE = 'phase_output.log'
PROGRESS_PIECE = re.compile(rb'^[^\r\n]*: +\d+%\|')
# The in-package entry points every phase runs in a fresh process (tools/train.py and
# tools/test.py wrap the same functions).
TRAIN_MODULE = 'fr_inpaint_plugin.cli.train'
TEST_MODULE = 'fr_inpaint_plugin.cli.test'

Command = Callable[[List[str], Optional[str]], int]


def run_command(argv: List[str], log_file: Optional[str]) -> int:
    """Run a tool; its output goes to ``log_file`` except the progress bars, which stay on the
    console (without a log file everything goes to the console)."""
    if log_file is None:
        return subprocess.call(argv)
    with open(log_file, 'ab') as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.PIPE)
        split_progress(process.stderr, log, sys.stderr.buffer)
        return process.wait()


def fork_command(argv: List[str], log_file: Optional[str]) -> int:
    """:func:`run_command` for ``[sys.executable, '-m', <module with main(argv)>, *args]``
    without a fresh interpreter: the phase runs ``main(args)`` in a child forked from this
    process, which imports the module (torch and the OpenMMLab stack: about 7 s on 2 CPU
    cores) once for every phase. The child builds its own Runner and exits on its own, as a
    fresh process would. Other commands go to :func:`run_command`."""
    if argv[:2] != [sys.executable, '-m'] or len(argv) < 3:
        return run_command(argv, log_file)
    entry = getattr(importlib.import_module(argv[2]), 'main', None)
    if entry is None:
        return run_command(argv, log_file)
    sys.stdout.flush()
    sys.stderr.flush()
    log = open(log_file, 'ab') if log_file is not None else None
    read_end, write_end = os.pipe() if log is not None else (None, None)
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            if log is not None:
                os.close(read_end)
                os.dup2(log.fileno(), 1)
                os.dup2(write_end, 2)
                # Python-level streams too: they may not be file descriptors 1 and 2.
                sys.stdout = open(1, 'w', buffering=1, errors='replace', closefd=False)
                sys.stderr = open(2, 'w', buffering=1, errors='replace', closefd=False)
            entry(argv[3:])
            code = 0
        except SystemExit as exit:  # argparse errors, sys.exit(n)
            code = exit.code if isinstance(exit.code, int) else int(exit.code is not None)
            if isinstance(exit.code, str):
                print(exit.code, file=sys.stderr)
        except BaseException:  # reported in the phase's log, as a fresh process would
            traceback.print_exc()
        finally:
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    if log is not None:
        os.close(write_end)
        with log, os.fdopen(read_end, 'rb') as stream:
            split_progress(stream, log, sys.stderr.buffer)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def can_fork() -> bool:
    """Whether phases may be forked from this process: POSIX, and no CUDA device (a forked
    child cannot use CUDA once the parent has initialised it, so GPU runs keep fresh processes;
    the check asks NVML, which initialises nothing)."""
    if not hasattr(os, 'fork'):
        return False
    import torch
    previous = os.environ.get('PYTORCH_NVML_BASED_CUDA_CHECK')
    os.environ['PYTORCH_NVML_BASED_CUDA_CHECK'] = '1'
    try:
        return not torch.cuda.is_available()
    finally:
        if previous is None:
            del os.environ['PYTORCH_NVML_BASED_CUDA_CHECK']
        else:
            os.environ['PYTORCH_NVML_BASED_CUDA_CHECK'] = previous


def split_progress(stream: BinaryIO, log: BinaryIO, console: BinaryIO) -> None:
    """Copy ``stream`` piece by piece (a piece ends at ``\r`` or ``\n``): tqdm bar updates
    (``desc: 42%|...``) to ``console``, everything else (warnings, tracebacks) to ``log``."""
    piece = bytearray()
    while True:
        byte = stream.read(1)
        if byte and byte not in (b'\r', b'\n'):
            piece += byte
            continue
        if PROGRESS_PIECE.match(piece):
            console.write(b'\r' + bytes(piece) + (b'\n' if byte == b'\n' else b''))
            console.flush()
        elif piece or byte == b'\n':
            log.write(bytes(piece) + (byte or b''))
        piece.clear()
        if not byte:
            return


def read_done(plan: PipelinePlan, name: str) -> Optional[dict]:
    path = osp.join(plan.work_dir(name), DONE_FILE)
    if not osp.isfile(path):
        return None
    with open(path) as file:
        return json.load(file)


CHECKPOINT_NAME = re.compile(r'(?:iter|epoch)_(\d+)\.pth')


def free_port() -> int:
    """A free local TCP port for a torchrun rendezvous (one run per phase)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _checkpoint_number(path: str) -> Optional[int]:
    match = CHECKPOINT_NAME.fullmatch(osp.basename(path))
    return int(match.group(1)) if match else None


def last_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint MMEngine's CheckpointHook saved last in ``work_dir`` (None if none).

    The hook names it in ``last_checkpoint`` only after saving it, so a run killed between the
    two leaves a newer ``iter_N.pth`` than the pointer names (complete: compat makes checkpoint
    saves atomic); the highest-numbered checkpoint then wins."""
    pointed = None
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as file:
            pointed = file.read().strip()
        pointed = pointed if osp.isfile(pointed) else None
    numbered = {_checkpoint_number(path): path
                for path in glob.glob(osp.join(work_dir, '*.pth'))
                if _checkpoint_number(path) is not None}
    if not numbered:
        return pointed
    newest = max(numbered)
    if pointed is not None and (_checkpoint_number(pointed) or newest) >= newest:
        return pointed
    return numbered[newest]


class PipelineRunner:
    """Runs ``plan.phases`` in order, each in ``<work_root>/<phase>`` through the train or test
    entry point (:mod:`fr_inpaint_plugin.cli`; a process of its own per phase: no state leaks
    between Runners; forked from this one on CPU-only machines, see :func:`fork_command`).

    A phase is finished when its ``phase_done.json`` exists (written atomically after the tool
    succeeded: the final checkpoint of a train phase, the metrics of a test phase). Finished
    phases are skipped; a train phase with checkpoints but no ``phase_done.json`` was interrupted
    and resumes from its last checkpoint (``--resume``); ``force`` reruns a phase and every
    later one from scratch. Each phase's resolved config is kept as ``phase_config.py``.

    Args:
        plan: the loaded pipeline config.
        python: interpreter for the tools.
        quiet: send each phase's log to ``<phase>/phase_output.log`` (progress bars stay).
        command: runs one tool (tests replace it); default: :func:`fork_command` where
            :func:`can_fork`, else :func:`run_command` (a fresh interpreter per phase).
        nproc: processes per train phase (torchrun, ``--launcher pytorch``; the gloo backend
            when there is no GPU); test phases run in one process.
    """

    def __init__(self, plan: PipelinePlan, python: str = sys.executable, quiet: bool = True,
                 command: Optional[Command] = None, nproc: int = 1):
        if nproc < 1:
            raise ValueError(f'nproc must be at least 1, got {nproc}')
        self.plan = plan
        self.python = python
        self.quiet = quiet
        self.command = command or (fork_command if can_fork() else run_command)
        self.nproc = nproc

    def run(self, until: Optional[str] = None, force: Optional[str] = None) -> Dict[str, dict]:
        """Run (or skip) every phase up to ``until`` (inclusive); return each phase's record."""
        names = [p.name for p in self.plan.phases]
        for name in (until, force):
            if name is not None and name not in names:
                raise KeyError(f'no phase named {name!r}; phases: {names}')
        if force is not None:
            # forget the old results *and* the old checkpoints to resume from: a forced run
            # that stops early must not resume (and record) a phase's previous final checkpoint
            for name in names[names.index(force):]:
                work_dir = self.plan.work_dir(name)
                stale = [osp.join(work_dir, DONE_FILE), osp.join(work_dir, 'last_checkpoint'),
                         *(path for path in glob.glob(osp.join(work_dir, '*.pth'))
                           if _checkpoint_number(path) is not None)]
                for path in stale:
                    if osp.isfile(path):
                        os.remove(path)
        stop = names.index(until) + 1 if until is not None else len(names)
        records: Dict[str, dict] = {}
        for index, phase in enumerate(self.plan.phases[:stop], start=1):
            header = f'[{index}/{stop}] {phase.name} ({phase.kind})'
            record = read_done(self.plan, phase.name)
            if record is not None:
                print(f'{header}: finished earlier, skipped', flush=True)
            else:
                fresh = force == phase.name or (force is not None and
                                                names.index(phase.name) > names.index(force))
                record = self._run_phase(phase, header, records, fresh)
            records[phase.name] = record
        return records

    def _run_phase(self, phase: Phase, header: str, records: Dict[str, dict],
                   fresh: bool) -> dict:
        work_dir = self.plan.work_dir(phase.name)
        checkpoints = {name: r['checkpoint'] for name, r in records.items() if 'checkpoint' in r}
        cfg = phase_config(self.plan, phase, checkpoints)
        os.makedirs(work_dir, exist_ok=True)
        config_path = osp.join(work_dir, CONFIG_FILE)
        write_text_atomically(config_path, cfg.pretty_text)
        log_file = osp.join(work_dir, LOG_FILE) if self.quiet else None
        started = time.time()
        if phase.kind == 'train':
            argv = [self.python, '-m', TRAIN_MODULE, config_path, '--work-dir', work_dir]
            if self.nproc > 1:  # torchrun, as tools/dist_train.sh (gloo when there is no GPU)
                argv[1:2] = ['-m', 'torch.distributed.run', f'--nproc_per_node={self.nproc}',
                             f'--master_port={free_port()}', '-m']
                argv.append('--launcher=pytorch')
            resume_from = None if fresh else last_checkpoint(work_dir)
            if resume_from is not None:
                argv += ['--resume', resume_from]
            action = f'resuming from {osp.basename(resume_from)}' if resume_from else 'training'
            print(f'{header}: {action} -> {work_dir}', flush=True)
        else:
            checkpoint = checkpoints[phase.tested_phase] if phase.tested_phase else None
            metrics_path = osp.join(work_dir, METRICS_FILE)
            argv = [self.python, '-m', TEST_MODULE, config_path,
                    *([checkpoint] if checkpoint else []), '--work-dir', work_dir,
                    '--out', metrics_path]
            print(f'{header}: testing {checkpoint or phase.config}', flush=True)
        code = self.command(argv, log_file)
        if code != 0:
            where = f'; log: {log_file}' if log_file else ''
            raise RuntimeError(f'phase {phase.name} failed (exit code {code}){where}. Fix the '
                               'cause and rerun the same command: finished phases are skipped '
                               'and this one resumes.')
        record = dict(phase=phase.name, kind=phase.kind, config=config_path,
                      seconds=round(time.time() - started, 1))
        if phase.kind == 'train':
            checkpoint = last_checkpoint(work_dir)
            if checkpoint is None:
                raise RuntimeError(f'phase {phase.name} finished without a checkpoint in '
                                   f'{work_dir}: its config must keep CheckpointHook')
            record['checkpoint'] = checkpoint
        else:
            with open(metrics_path) as file:
                record['metrics'] = json.load(file)
            record['checkpoint_tested'] = checkpoint
        write_text_atomically(osp.join(work_dir, DONE_FILE), json.dumps(record, indent=2))
        print(f'{header}: done in {record["seconds"]:.0f} s', flush=True)
        return record
