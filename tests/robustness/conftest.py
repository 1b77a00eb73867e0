"""The bad-input suite's tally: every case records how it ended, and the run ends with one line
of figures (README, Reliability): bad inputs tried, refused with an error naming the file,
tolerated as documented, partial output files left."""
import pytest

OUTCOMES = []  # (case, 'refused' | 'tolerated', partial files left)


@pytest.fixture
def record_outcome():
    def record(case: str, outcome: str, partial_files: int = 0) -> None:
        OUTCOMES.append((case, outcome, partial_files))
    return record


def pytest_terminal_summary(terminalreporter):
    if not OUTCOMES:
        return
    refused = sum(outcome == 'refused' for _, outcome, _ in OUTCOMES)
    tolerated = sum(outcome == 'tolerated' for _, outcome, _ in OUTCOMES)
    partial = sum(left for _, _, left in OUTCOMES)
    terminalreporter.write_line(
        f'bad-input suite: {len(OUTCOMES)} bad inputs tried, {refused} refused with an error '
        f'naming the file, {tolerated} tolerated as documented, {partial} partial output '
        'files left')
