from .plan import Phase, PipelinePlan, load_plan, phase_config
from .report import INPAINTING_COLUMNS, markdown_table, pipeline_tables
from .run import PipelineRunner

__all__ = [
    'INPAINTING_COLUMNS', 'Phase', 'PipelinePlan', 'PipelineRunner', 'load_plan',
    'markdown_table', 'phase_config', 'pipeline_tables'
]
