"""environment.yml and pyproject.toml list the same packages; CI calls the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[ ]", req.strip(), maxsplit=1)[0].lower()


def _pip_section(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip() == "- pip:")
    out = []
    for ln in lines[start + 1:]:
        m = re.match(r"\s+- (.+?)\s*(#.*)?$", ln)
        if not m:
            break
        out.append(m.group(1))
    return out


def test_environment_matches_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r): r.replace(" ", "") for r in py["dependencies"] + py["optional-dependencies"]["test"]}
    env = {_name(r): r.replace(" ", "") for r in _pip_section((ROOT / "environment.yml").read_text())
           if not r.startswith("-e")}
    assert env == wanted


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    two = readme.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    cmds = re.findall(r"^(make \w+)\s+#", two, flags=re.MULTILINE)
    assert cmds == ["make book", "make test"]
    assert "make test" in ci.splitlines()[-1]
