"""What a learner's code prints: kept head and tail in the learner's process, shown as the
first and last lines with the volume named on the grader's side."""

from __future__ import annotations

import threading

from harness.feedback import cut_output
from harness.learner.output import OUTPUT_LIMIT, Output


def test_short_output_passes_through_whole():
    out = Output()
    assert out.write("hello\n") == 6
    out.write("world\n")
    assert out.drain() == "hello\nworld\n"
    assert out.drain() == ""
    assert cut_output("hello\nworld\n") == "hello\nworld\n"


def test_a_flood_keeps_its_head_its_tail_and_its_size():
    out = Output()
    out.write("FIRST\n")
    for _ in range(1000):
        out.write("x" * 9_999 + "\n")
    out.write("LAST\n")
    kept = out.drain()
    assert len(kept) < OUTPUT_LIMIT + 200
    assert kept.startswith("FIRST\n") and kept.endswith("LAST\n")
    assert "[output cut: 10,000,011 characters printed in all]" in kept
    shown = cut_output(kept)
    assert shown.startswith("[too much output: 10,000,011 characters printed")
    assert "\nFIRST\n" in shown and shown.endswith("LAST")
    assert len(shown) < 6_000


def test_many_short_lines_show_the_first_and_last_ten():
    text = "".join(f"line {i}\n" for i in range(500))
    shown = cut_output(text).splitlines()
    assert shown[0].startswith(f"[too much output: {len(text):,} characters, 500 lines")
    assert shown[1:11] == [f"line {i}" for i in range(10)]
    assert shown[11] == "[... 480 lines cut ...]"
    assert shown[12:] == [f"line {i}" for i in range(490, 500)]


def test_one_enormous_line_is_shortened_and_its_length_named():
    shown = cut_output("y" * 50_000)
    assert "50,000 characters, 1 line printed" in shown.splitlines()[0]
    assert shown.splitlines()[1] == "y" * 200 + " [... 49,800 more characters]"


def test_writes_from_many_threads_are_all_counted():
    out = Output()

    def spam() -> None:
        for _ in range(2_000):
            out.write("z" * 50)

    threads = [threading.Thread(target=spam) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "[output cut: 400,000 characters printed in all]" in out.drain()
