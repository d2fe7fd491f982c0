"""What the hidden tests of metrics-registry share: expose() as prometheus_client parses it,
compared exactly (imported by name: `from _support import expect`).

It runs in the grader like the tests: plain functions, nothing of the learner's called at
import."""

import pytest
from prometheus_client.parser import text_string_to_metric_families


def parse(registry):
    """Families as prometheus_client parses them: name -> (type, help, samples)."""
    text = registry.expose()
    try:
        parsed = list(text_string_to_metric_families(text))
    except Exception as exc:
        pytest.fail(f"prometheus_client could not parse expose(): {exc}\n--- expose() ---\n{text}")
    families = {}
    for family in parsed:
        rows = sorted((s.name, _labels(s.labels), float(s.value)) for s in family.samples)
        assert family.name not in families, f"family {family.name!r} appears twice:\n{text}"
        families[family.name] = (family.type, family.documentation, rows)
    return families, text


def _labels(labels):
    return tuple(sorted((k, str(float(v)) if k == "le" else v) for k, v in labels.items()))


def expect(registry, want):
    got, text = parse(registry)
    assert got == want, f"expose() parsed to\n{got}\nexpected\n{want}\n--- expose() ---\n{text}"
