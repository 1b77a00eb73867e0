from .runner_cfg import default_work_dir, enable_amp

__all__ = ['default_work_dir', 'enable_amp']
