"""The robustness suite's tally: every case records how it ended, and the run ends with its
figures (docs/reliability.md): bad inputs tried, refused with an error naming the file,
tolerated as documented, partial output files left; kill points tried and resumed."""
import pytest

OUTCOMES = []  # (case, 'refused' | 'tolerated' | 'resumed', partial files left)


@pytest.fixture
def record_outcome():
    def record(case: str, outcome: str, partial_files: int = 0) -> None:
        OUTCOMES.append((case, outcome, partial_files))
    return record


def pytest_terminal_summary(terminalreporter):
    bad_inputs = [entry for entry in OUTCOMES if entry[1] != 'resumed']
    if bad_inputs:
        refused = sum(outcome == 'refused' for _, outcome, _ in bad_inputs)
        tolerated = sum(outcome == 'tolerated' for _, outcome, _ in bad_inputs)
        partial = sum(left for _, _, left in bad_inputs)
        terminalreporter.write_line(
            f'bad-input suite: {len(bad_inputs)} bad inputs tried, {refused} refused with an '
            f'error naming the file, {tolerated} tolerated as documented, {partial} partial '
            'output files left')
    for case, _, _ in (entry for entry in OUTCOMES if entry[1] == 'resumed'):
        terminalreporter.write_line(f'kill and resume: {case}')
