"""axe-core (from npm, installed by make test) run inside a Playwright page."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[str]:
    """axe's WCAG 2.0/2.1 A and AA violations of impact serious or critical on the page, as
    "rule: element" lines (empty when there are none)."""
    assert AXE.is_file(), "axe-core is missing: make test installs it (npm install --prefix .venv/npm axe-core)"
    # Evaluated by the test driver, not added as a <script>: the desk's content security policy
    # rightly refuses inline scripts without its nonce.
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {node['target']}" for v in result["violations"] if v["impact"] in ("serious", "critical")
            for node in v["nodes"]]
