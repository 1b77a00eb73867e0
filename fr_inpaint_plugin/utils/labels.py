"""Conventions of semantic label maps shared by datasets, models and tools."""

# The label value that means "no label" (MMSeg's convention): unlabelled pixels, unlabelled
# items, and guide pixels without semantics. Never a class id.
IGNORE_INDEX = 255
