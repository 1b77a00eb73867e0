from .runner_cfg import add_runner_args, default_work_dir, enable_amp, load_runner_config

__all__ = ['add_runner_args', 'default_work_dir', 'enable_amp', 'load_runner_config']
