import pytest


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """`with indexed(): ...` runs the index's on-commit work at the end of the block, as
    a commit would (tests run inside one transaction that never commits)."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
