"""The reports `kata grade` writes for a class: a result JSON per submission, CSV, Markdown,
JUnit XML, Gradescope `results.json` and HTML; every format is a pure function of the
results; `outputs` reads a run's JSON back to merge shards."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from harness.catalog import Kata
from harness.grading import first_failure
from harness.result import RunResult, Status, TaskResult


def plural(count: int, word: str) -> str:
    """`1 kata`, `2 katas`: the count and the word, in the number the count asks for."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def to_json(result: RunResult) -> str:
    """The result object of DESIGN.md, the one place it is serialised."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


def why(result: RunResult) -> str:
    """One line for an instructor on why a submission did not pass: why no test ran, what
    stopped the run, or its first failure as `kata check` picks it (`first_failure`)."""
    lines = [line.strip() for line in result.message.splitlines() if line.strip()]
    first_line = " ".join(lines[:2]) if lines and lines[0].endswith(":") else (
        lines[0] if lines else "")  # "the tests could not be loaded:" says why on the next
    if not result.counted:
        reason = first_line or ("every test was skipped" if result.tests
                                else "the suite has no test")
        return f"no test ran: {reason}"
    if first_line:
        return first_line
    failing = first_failure(result)
    if failing is None:
        return ""
    said = failing.message.splitlines()[0] if failing.message else failing.status.value
    return f"first failure: {failing.name}: {said}"


def task_column(task: TaskResult) -> str:
    """The summary's column of a task's points."""
    return f"task {task.id} ({task.title})"


def summary_rows(results: list[RunResult]) -> list[dict[str, Any]]:
    """One row per submission: the data behind the CSV, Markdown and terminal summaries;
    `status` is the outcome (`timed out` for a submission that ran out of time), and
    each task's points follow in task order."""
    rows = []
    for r in results:
        row: dict[str, Any] = {
            "name": r.submission, "score": round(r.score, 2), "max_score": r.max_score,
            "passed": r.tests_passed, "total": r.tests_total,
            "tests": f"{r.tests_passed}/{r.tests_total}" if r.counted else "none ran",
            "status": r.outcome, "duration": round(r.duration, 2), "why": why(r)[:200],
        }
        for task in r.tasks:
            row[task_column(task)] = round(sum(t.score for t in r.tests if t.task == task.id), 2)
        rows.append(row)
    return rows


def summary_csv(results: list[RunResult]) -> str:
    """One row per submission: totals, status, time, why, then each task's points."""
    import csv
    import io

    out = io.StringIO()
    tasks = dict.fromkeys(task_column(t) for r in results for t in r.tasks)
    fields = ["name", "score", "max_score", "passed", "total", "status", "duration", "why",
              *tasks]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(summary_rows(results))
    return out.getvalue()


def summary_markdown(results: list[RunResult], kata: Kata) -> str:
    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [f"# {kata.title} ({kata.slug}): {plural(len(results), 'submission')}", "",
             "| submission | score | tests | status | time | why |", "|---|---|---|---|---|---|"]
    for row in summary_rows(results):
        lines.append(f"| {cell(row['name'])} | {row['score']:g}/{row['max_score']:g} | "
                     f"{row['tests']} | {row['status']} | "
                     f"{row['duration']:.2f} s | {cell(row['why'])} |")
    return "\n".join(lines) + "\n"


def junit_xml(results: list[RunResult]) -> str:
    """JUnit XML: one testsuite per submission, one testcase per test, for CI test reporters."""
    from xml.etree import ElementTree as ET

    root = ET.Element("testsuites", name="kata")
    for r in results:
        failures = sum(t.status is Status.FAIL for t in r.tests)
        errors = sum(t.status is Status.ERROR for t in r.tests) + (r.status is Status.ERROR)
        suite = ET.SubElement(root, "testsuite", name=r.submission, tests=str(len(r.tests) or 1),
                              failures=str(failures), errors=str(errors),
                              skipped=str(sum(t.status is Status.SKIP for t in r.tests)),
                              time=f"{r.duration:.3f}")
        if r.status is Status.ERROR and not r.tests:
            case = ET.SubElement(suite, "testcase", classname=f"{r.kata}.{r.submission}",
                                 name="loads and runs", time=f"{r.duration:.3f}")
            ET.SubElement(case, "error", message=_xml_safe(r.message.splitlines()[0]
                                                            if r.message else "error")).text = \
                _xml_safe(r.message)
        for t in r.tests:
            case = ET.SubElement(suite, "testcase", classname=f"{r.kata}.{r.submission}",
                                 name=_xml_safe(t.name), time=f"{t.duration:.3f}")
            if t.status in (Status.FAIL, Status.ERROR):
                tag = "failure" if t.status is Status.FAIL else "error"
                first = t.message.splitlines()[0] if t.message else t.status.value
                ET.SubElement(case, tag, message=_xml_safe(first)).text = _xml_safe(t.message)
            elif t.status is Status.SKIP:
                ET.SubElement(case, "skipped")
            if t.output:
                ET.SubElement(case, "system-out").text = _xml_safe(t.output)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


def _xml_safe(text: str) -> str:
    """Drops the characters XML 1.0 cannot hold (a learner's output may contain any)."""
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


#: Gradescope's visibilities; hidden tests get the one an instructor picks (`--visibility`)
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
DEFAULT_VISIBILITY = "after_due_date"


def gradescope_json(result: RunResult, visibility: str = DEFAULT_VISIBILITY) -> str:
    """Gradescope's autograder `results.json` for one submission. The examples the learner
    already has are visible; a hidden test, its name and what it printed get `visibility`."""
    if visibility not in VISIBILITIES:
        raise ValueError(f"unknown visibility {visibility!r}")
    tests = [{"name": t.name, "score": round(t.score, 4), "max_score": round(t.max_score, 4),
              "status": "passed" if t.status is Status.PASS else "failed",
              "output": "\n".join(part for part in (t.message, t.output) if part),
              "visibility": "visible" if t.id.startswith("visible/") else visibility}
             for t in result.tests]
    data: dict[str, Any] = {"score": round(result.score, 4), "max_score": result.max_score,
                  "execution_time": round(result.duration, 3), "tests": tests,
                  "visibility": "visible", "stdout_visibility": "hidden"}
    if result.message:
        data["output"] = result.message
    return json.dumps(data, indent=2, ensure_ascii=False)


def class_overview(results: list[RunResult], kata: Kata) -> dict[str, Any]:
    """What the HTML report shows of a class: histogram, task pass rates, hardest tests."""
    bins = 10
    histogram = [0] * bins
    for r in results:
        share = r.score / r.max_score if r.max_score else 0.0
        histogram[min(int(share * bins), bins - 1)] += 1
    tasks = []
    for task in kata.tasks:
        done = sum(any(t.id == task.id and t.done for t in r.tasks) for r in results)
        tasks.append({"id": task.id, "title": task.title, "passed": done,
                      "rate": done / len(results) if results else 0.0})
    failures: dict[str, int] = {}
    for r in results:
        for t in r.tests:
            failures.setdefault(t.name, 0)
            if t.status in (Status.FAIL, Status.ERROR):
                failures[t.name] += 1
    hardest = sorted(((n, c) for n, c in failures.items() if c), key=lambda x: (-x[1], x[0]))
    scores = sorted(r.score for r in results)
    median = scores[len(scores) // 2] if scores else 0.0
    return {"histogram": histogram, "bins": bins, "tasks": tasks, "hardest": hardest[:10],
            "median": median, "peak": max(histogram) if histogram else 0,
            "passed": sum(r.passed for r in results)}


def _html_env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("harness", "templates/report"),
        autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)


def html_index(results: list[RunResult], kata: Kata) -> str:
    stems = file_stems([r.submission for r in results])
    return _html_env().get_template("index.html.j2").render(
        kata=kata, results=results, rows=summary_rows(results),
        overview=class_overview(results, kata), page=lambda name: f"{stems[name]}.html")


def html_submission(result: RunResult, kata: Kata) -> str:
    return _html_env().get_template("submission.html.j2").render(kata=kata, result=result)


_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,59}")


def file_stems(names: list[str]) -> dict[str, str]:
    """The one name of each submission's files (`results/<stem>.json`, `gradescope/<stem>/`,
    `submissions/<stem>.html`): the submission's name itself when it is a plain file name
    (letters, digits, `_ . -`, at most 60) that no other differs from only by case; else
    a safe form of it and the start of its name's sha1, which no name can turn into a path.
    A name's stem depends on that name alone (and on a case twin), so it is the same in
    every run and every shard."""
    folded: dict[str, int] = {}
    for name in set(names):
        folded[name.lower()] = folded.get(name.lower(), 0) + 1
    return {name: name if _PLAIN.fullmatch(name) and folded[name.lower()] == 1
            and not name.endswith(".") else _hashed(name) for name in names}


def _hashed(name: str) -> str:
    import hashlib

    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._")[:60] or "submission"
    digest = hashlib.sha1(name.encode("utf-8", "backslashreplace")).hexdigest()[:8]
    return f"{safe}-{digest}"


BATCH_FORMATS = ("json", "csv", "md", "junit", "gradescope", "html")


def write_batch(out: Path, results: list[RunResult], kata: Kata,
                formats: tuple[str, ...] = BATCH_FORMATS,
                visibility: str = DEFAULT_VISIBILITY) -> list[Path]:
    """Writes the reports of a batch under `out`; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(relative: str, text: str) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="backslashreplace")  # valid, always
        written.append(path)

    stems = file_stems([r.submission for r in results])
    for result in results:
        page = stems[result.submission]
        if "json" in formats:
            put(f"results/{page}.json", to_json(result) + "\n")
        if "gradescope" in formats:
            put(f"gradescope/{page}/results.json", gradescope_json(result, visibility) + "\n")
        if "html" in formats:
            put(f"submissions/{page}.html", html_submission(result, kata))
    if "csv" in formats:
        put("summary.csv", summary_csv(results))
    if "md" in formats:
        put("summary.md", summary_markdown(results, kata))
    if "junit" in formats:
        put("junit.xml", junit_xml(results) + "\n")
    if "html" in formats:
        put("index.html", html_index(results, kata))
    return written


def result_files(results: list[RunResult]) -> dict[str, str]:
    """Where write_batch puts each submission's result, relative to the batch's folder."""
    return {name: f"results/{stem}.json"
            for name, stem in file_stems([r.submission for r in results]).items()}
