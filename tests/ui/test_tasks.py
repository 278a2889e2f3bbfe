"""Background tasks outlive whoever asked for them: a task that ends after its runner or its window was deleted
is dropped quietly (the race that raised ``Signal source has been deleted`` under load)."""

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from sbf_client.sync.progress import ProgressUpdate
from sbf_client.ui import tasks
from sbf_client.ui.tasks import Changed, TaskRunner


def _blocked_work(release: threading.Event, started: threading.Event):
    def work(progress):
        started.set()
        release.wait(30)
        progress.report(1, 1, "done")
        return Changed("value", frozenset({"employees"}))

    return work


def test_a_task_that_ends_after_its_runner_was_deleted_delivers_nothing(qtbot):
    runner = TaskRunner()
    release, started = threading.Event(), threading.Event()
    delivered = []
    task = runner.run(_blocked_work(release, started), delivered.append, show_progress=False)
    task.progressed.connect(lambda update: delivered.append(update))
    assert started.wait(30)
    shiboken6.delete(runner)  # the window that owned it is gone, and the hub with it
    release.set()
    qtbot.waitUntil(lambda: task not in tasks._RUNNING, timeout=30_000)
    qtbot.wait(100)
    assert [d for d in delivered if not isinstance(d, ProgressUpdate)] == []


def test_a_task_that_ends_after_its_window_closed_delivers_nothing(qtbot):
    runner = TaskRunner()
    window = QWidget()
    release, started = threading.Event(), threading.Event()
    delivered, errors = [], []
    runner.run(
        _blocked_work(release, started), delivered.append, parent=window, on_error=errors.append, show_progress=True
    )
    assert started.wait(30)
    qtbot.wait(600)  # long enough for the progress dialog to open on the window
    shiboken6.delete(window)
    release.set()
    qtbot.waitUntil(lambda: not runner.busy(), timeout=30_000)
    assert delivered == [] and errors == []
    assert shiboken6.isValid(runner)


def test_a_background_task_does_not_make_the_runner_busy(qtbot):
    runner = TaskRunner()
    release, started = threading.Event(), threading.Event()
    done = []
    runner.run(_blocked_work(release, started), done.append, show_progress=False, background=True)
    assert started.wait(30)
    assert not runner.busy()
    release.set()
    qtbot.waitUntil(lambda: done == ["value"], timeout=30_000)
