"""What the app shows of a crashed worker's last output."""

from __future__ import annotations

from studyml.demos.crash import crash_lines

DUMP = """\
step 1
step 2
Fatal Python error: Segmentation fault

Thread 0x00007f (most recent call first):
  File "/x/studyml/demos/worker.py", line 196 in _read_stdin

Current thread 0x00007e (most recent call first):
  File "/usr/lib/python3.11/ctypes/__init__.py", line 519 in string_at
  File "/home/me/plugins/my demo.py", line 9 in run
  File "/x/studyml/demos/worker.py", line 264 in _handle_run
  File "<string>", line 4 in <module>
"""


def test_the_lines_printed_last_then_the_crashing_threads_frames_down_to_the_workers():
    assert crash_lines(DUMP, printed=1) == ["step 2", "__init__.py:519 in string_at", "my demo.py:9 in run"]


def test_output_without_a_dump_is_its_last_lines():
    assert crash_lines("a\n\nb\nc\n", printed=2) == ["b", "c"]
    assert crash_lines("") == []


def test_a_dump_whose_start_was_cut_off_is_still_read_as_a_dump():
    # Of a deep stack only the tail arrives: its frames were taken for what the plugin printed, and the crashing
    # thread was not found.
    cut = DUMP[DUMP.index("  File") :]
    assert crash_lines(cut) == ["__init__.py:519 in string_at", "my demo.py:9 in run"]


def test_a_traceback_the_plugin_printed_before_the_crash_is_its_output_not_the_dump():
    # A Python traceback's frame (`, in f`) was taken for the dump's start: what it printed after it was lost.
    printed = "Traceback (most recent call last):\n  File \"/p/demo.py\", line 7, in f\nKeyError: 'x'\nstep 5\n"
    shown = crash_lines(printed + DUMP[DUMP.index("Fatal") :], printed=2)
    assert shown == ["KeyError: 'x'", "step 5", "__init__.py:519 in string_at", "my demo.py:9 in run"], shown


def test_an_exception_is_placed_in_the_plugins_file_not_in_studymls():
    from pathlib import Path

    from studyml.demos import crash
    from studyml.demos.crash import exception_frames

    ours = Path(crash.__file__).parent  # the worker's frames name studyml's files where they are installed
    tb = f"""Traceback (most recent call last):
  File "{ours}/worker.py", line 280, in _run
    plugin.run(params, ctx)
  File "/home/me/myplugin/src/mydemo.py", line 30, in run
    ctx.compare("positive", "value", value, "gt", 0)
    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "{ours}/api.py", line 470, in compare
    raise ValueError(f"ctx.compare: unknown operator {{op!r}}")
ValueError: ctx.compare: unknown operator 'gt'
"""
    assert exception_frames(tb) == ['mydemo.py:30 in run: ctx.compare("positive", "value", value, "gt", 0)']


def test_a_plugin_writing_without_newlines_is_held_a_line_cut_at_a_time():
    # 1.5 GB written to stderr with no newline: the app held it whole as one line (2.9 GB, kept after the run).
    import collections
    import io

    from studyml.demos.process import MAX_LOG_LINE, WorkerProcess

    worker = object.__new__(WorkerProcess)
    worker._stderr = io.BytesIO(b"x" * (5 * MAX_LOG_LINE + 7) + b"\nafter\n" + b"y" * 10)
    worker.log_tail, worker.forward_logs = collections.deque(maxlen=200), False
    worker._read_stderr()
    first, after, last = worker.log_tail
    assert len(first) < MAX_LOG_LINE + 100 and first.endswith("(cut: a line longer than 64 KiB)")
    assert (after, last) == ("after", "y" * 10)  # the next line whole, and a last one without its newline


def test_an_exception_raised_inside_a_library_still_names_the_plugins_line():
    # The three innermost frames were torch's (module.py:1773 …): the author's mydemo.py:30 was left out.
    from pathlib import Path

    from studyml.demos import crash
    from studyml.demos.crash import exception_frames

    site = "/venv/lib/python3.11/site-packages"
    tb = f"""Traceback (most recent call last):
  File "{Path(crash.__file__).parent}/worker.py", line 280, in _run
    plugin.run(params, ctx)
  File "/home/me/mydemo/src/mydemo/__init__.py", line 30, in run
    out = model(x)
  File "{site}/torch/nn/modules/module.py", line 1773, in _wrapped_call_impl
    return self._call_impl(*args, **kwargs)
  File "{site}/torch/nn/modules/module.py", line 1784, in _call_impl
    return forward_call(*args, **kwargs)
  File "{site}/torch/nn/modules/linear.py", line 125, in forward
    return F.linear(input, self.weight, self.bias)
RuntimeError: mat1 and mat2 shapes cannot be multiplied (4x3 and 2x5)
"""
    assert exception_frames(tb) == [
        "__init__.py:30 in run: out = model(x)",
        "linear.py:125 in forward: return F.linear(input, self.weight, self.bias)",
    ]
