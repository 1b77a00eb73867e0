from .demo_scenes import DEMO_CLASSES, DEMO_PALETTE, write_demo_dataset

__all__ = ['DEMO_CLASSES', 'DEMO_PALETTE', 'write_demo_dataset']
