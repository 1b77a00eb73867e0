"""A stand-in entry point (``main(argv)``) for tests of fork_command: prints to stdout, writes a
progress bar and a warning to stderr, then does what argv[0] says."""
import os
import sys


def main(argv):
    print('stdout of the phase', flush=True)
    sys.stderr.write('fake train:  50%|#  | 1/2\rfake train: 100%|##| 2/2\n')
    sys.stderr.write('UserWarning: from the phase\n')
    os.environ['FAKE_ENTRY_RAN'] = '1'  # the parent's environment must not see it
    if argv[0] == 'exit':
        sys.exit(int(argv[1]))
    if argv[0] == 'raise':
        raise ValueError('the phase failed')
