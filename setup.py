from setuptools import find_packages, setup

# The pinned OpenMMLab stack (with mmcv compiled from source) is installed by
# tools/setup_env.sh from requirements/*.txt; pip cannot express that build, so
# install_requires only names what the package imports, unpinned.
setup(
    name='fr_inpaint_plugin',
    version='0.1.0',
    description='Semantic feedback recorrection image inpainting (Ye et al. 2025) '
    'as an MMagic + MMSegmentation plugin',
    packages=find_packages(include=['fr_inpaint_plugin', 'fr_inpaint_plugin.*']),
    python_requires='>=3.10',
    install_requires=['torch', 'mmengine', 'mmcv', 'mmsegmentation', 'mmagic', 'lpips'],
)
