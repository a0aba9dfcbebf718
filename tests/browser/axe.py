"""axe-core in the page: inject it, run it, and say what it found.

axe-core comes from the npm registry (package.json, package-lock.json; `make test` runs
`npm ci`), never from a CDN. The Content-Security-Policy forbids the inline script that
``add_script_tag`` makes: the pages checked here are opened with ``bypass_csp=True``.
"""

from collections import Counter
from pathlib import Path

from django.conf import settings

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = {"serious", "critical"}
IMPACTS = ["minor", "moderate", "serious", "critical"]

# Every page checked in this session, and its violations (for the summary at the end).
_checked = []
_impacts = Counter()
_found = Counter()


def violations(page):
    """axe's violations on the page as it is now: a list of axe's result objects."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    found = results["violations"]
    _checked.append(page.url)
    for violation in found:
        _impacts[violation["impact"]] += len(violation["nodes"])
        _found[violation["impact"], violation["id"], page.url] += len(violation["nodes"])
    return found


def describe(url, found):
    lines = []
    for violation in found:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:8])
        more = len(violation["nodes"]) - 8
        lines.append(
            f"  {url}: {violation['id']} ({violation['impact']}): {violation['help']}; "
            f"nodes: {targets}{f' and {more} more' if more > 0 else ''}"
        )
    return "\n".join(lines)


def serious_violations(page, url):
    """The serious and critical violations on the page (opened at ``url``), described for
    an assertion's message; empty when there is none."""
    found = [v for v in violations(page) if v["impact"] in FAILING_IMPACTS]
    return describe(url, found)


def session_summary():
    if not _checked:
        return ""
    counts = ", ".join(f"{impact} {_impacts[impact]}" for impact in IMPACTS)
    lines = [f"axe-core: {len(_checked)} pages checked; violating nodes by impact: {counts}"]
    for (impact, rule, url), nodes in sorted(_found.items()):
        lines.append(f"  {impact}: {rule} on {url} ({nodes} nodes)")
    return "\n".join(lines)
