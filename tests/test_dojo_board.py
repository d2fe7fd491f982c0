"""kata dojo board: real HTTP on loopback (posts, refusals, a restart) and a real browser."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser import Browser, png_is_not_blank
from conftest import FIXTURE_CATALOG, ROOT, mutant_file

CAT = ("--catalog", str(FIXTURE_CATALOG))
SOLUTIONS = FIXTURE_CATALOG / "solutions/adder"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Board:
    """`kata dojo board adder` in a subprocess, as a facilitator starts it."""

    def __init__(self, folder: Path, home: Path) -> None:
        self.folder = folder
        self.home = home
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.code = ""

    def start(self) -> Board:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KATA_HOME": str(self.home),
               "NO_COLOR": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "harness", "dojo", "board", "adder", "--port", str(self.port),
             "--dir", str(self.folder), *CAT], env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        lines = []
        for _ in range(20):  # the banner is five lines; read until the code shows
            line = self.process.stdout.readline()
            lines.append(line)
            if line.startswith("Join code: "):
                self.code = line.split(": ", 1)[1].strip()
                break
        assert self.code, "".join(lines)
        for _ in range(100):  # bounded: the server answers within seconds
            try:
                self.rows()
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the board never answered")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.process and self.process.stdout:
            self.process.stdout.close()

    def rows(self) -> list[dict]:
        with urllib.request.urlopen(self.url + "/api/rows", timeout=5) as answer:
            return json.loads(answer.read())["rows"]

    def post(self, body: bytes) -> tuple[int, dict]:
        request = urllib.request.Request(self.url + "/api/results", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read())


@pytest.fixture
def board(tmp_path, kata_home):
    running = Board(tmp_path / "board", kata_home).start()
    yield running
    running.stop()


@pytest.fixture
def pair(kata, tmp_path):
    """A pair's workspace for the fixture kata, with the reference in it."""
    path = tmp_path / "pair"
    assert kata("start", "adder", *CAT, "--dir", str(path)).returncode == 0
    return path


def _valid(code: str, name: str = "ana+ben", **changes) -> dict:
    result = {"kata": "adder", "tasks_passed": 1, "tasks_total": 2, "tests_passed": 5,
              "tests_total": 9, "score": 4.0, "max_score": 10, "passed": False}
    result.update(changes)
    return {"code": code, "name": name, "result": result}


def test_a_check_posts_its_result_and_the_row_shows_it(kata, board, pair):
    shutil.copy(SOLUTIONS / "adder.py", pair / "adder.py")
    done = kata("check", str(pair), "--board", board.url, "--code", board.code,
                "--name", "ana+ben", *CAT)
    assert done.returncode == 0, done.stderr
    assert "Posted to the board as ana+ben." in done.stdout
    (row,) = board.rows()
    assert (row["name"], row["tasks_passed"], row["tasks_total"], row["passed"]) == \
        ("ana+ben", 2, 2, True)
    assert row["first_green"] is not None and row["checks"] == 1


def test_a_failing_check_posts_too_and_first_green_waits(kata, board, pair, tmp_path):
    shutil.copy(mutant_file("sub_reversed", tmp_path / "mutant"), pair / "adder.py")
    done = kata("check", str(pair), "--board", board.url, "--code", board.code,
                "--name", "chen+dee", *CAT)
    assert done.returncode == 1  # the check's own verdict; the post went through
    (row,) = board.rows()
    assert row["name"] == "chen+dee" and not row["passed"] and row["first_green"] is None
    assert 0 < row["tasks_passed"] < row["tasks_total"]


def test_a_wrong_code_is_refused_with_403_and_changes_nothing(kata, board, pair):
    status, answer = board.post(json.dumps(_valid("WRONG1")).encode())
    assert (status, answer) == (403, {"error": "wrong join code"})
    done = kata("check", str(pair), "--board", board.url, "--code", "WRONG1",
                "--name", "ana+ben", *CAT)
    assert done.returncode == 2
    assert "refused the result (403): wrong join code" in done.stderr
    assert board.rows() == []


@pytest.mark.parametrize(("body", "why"), [
    (b"not json", "not JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"code": "%s"}', "name must be"),
    (json.dumps(_valid("%s", name="")).encode(), "name must be"),
    (json.dumps(_valid("%s", name="x" * 61)).encode(), "name must be"),
    (json.dumps(_valid("%s", tasks_passed=3)).encode(), "above its total"),
    (json.dumps(_valid("%s", score=-1)).encode(), "score must be"),
    (json.dumps(_valid("%s", tests_total="9")).encode(), "tests_total must be"),
    (json.dumps(_valid("%s", passed="yes")).encode(), "passed must be"),
    (json.dumps(_valid("%s", kata="load-balancer")).encode(), "board is for the kata"),
])
def test_malformed_posts_get_400_and_change_nothing(board, body, why):
    if b"%s" in body:
        body = body.replace(b"%s", board.code.encode())
    status, answer = board.post(body)
    assert status == 400 and why in answer["error"], answer
    assert board.rows() == []


def test_an_oversized_body_gets_413_and_changes_nothing(board):
    padded = _valid(board.code)
    padded["padding"] = "x" * 20_000
    status, answer = board.post(json.dumps(padded).encode())
    assert status == 413, answer
    assert board.rows() == []


def test_a_restarted_board_keeps_its_rows_and_its_code(board):
    assert board.post(json.dumps(_valid(board.code)).encode())[0] == 200
    assert board.post(json.dumps(_valid(board.code, name="chen+dee", tasks_passed=2,
                                        score=10.0, passed=True)).encode())[0] == 200
    before, code = board.rows(), board.code
    board.stop()
    board.start()
    assert board.code == code
    assert board.rows() == before
    assert [row["name"] for row in before] == ["chen+dee", "ana+ben"]  # more tasks first


def test_a_second_post_updates_the_row_and_keeps_the_first_green(board):
    board.post(json.dumps(_valid(board.code, tasks_passed=2, score=10.0, passed=True)).encode())
    first = board.rows()[0]
    board.post(json.dumps(_valid(board.code, tasks_passed=1, score=4.0)).encode())
    (row,) = board.rows()
    assert (row["tasks_passed"], row["passed"], row["checks"]) == (1, False, 2)
    assert row["first_green"] == first["first_green"]


def test_the_board_listens_on_loopback_only_by_default(board):
    """Reads the kernel's table of listening sockets: the board's port is bound to
    127.0.0.1, not to every address."""
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.rsplit(":", 1)
            if int(port, 16) == board.port and state == "0A":  # 0A: LISTEN
                listening.append(address)
    assert listening == ["0100007F"], listening  # 127.0.0.1, little-endian hex


def test_the_page_shows_a_posted_result_without_reloading(board, tmp_path):
    browser = Browser(tmp_path / "profile", size=(1600, 900))
    try:
        browser.open(board.url + "/")
        browser.wait_for("document.getElementById('status').textContent === 'live'")
        assert browser.evaluate("document.querySelectorAll('#rows tr').length") == 0
        browser.evaluate("window.sameDocument = 'yes'")  # a reload would forget this

        status, _ = board.post(json.dumps(_valid(board.code, name="ana+ben")).encode())
        assert status == 200
        browser.wait_for("document.querySelector('#rows tr[data-name=\"ana+ben\"]') !== null")
        assert browser.evaluate("window.sameDocument") == "yes"
        cells = browser.evaluate(
            "[...document.querySelectorAll('#rows tr td')].map(td => td.textContent)")
        assert cells[:3] == ["ana+ben", "1/2", "4.00/10"]
        font = browser.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('#rows td')).fontSize)")
        assert font >= 30, f"readable from the back of a room: {font}px"
        shot = browser.screenshot(tmp_path / "board.png")
        assert png_is_not_blank(shot)
    finally:
        browser.close()
