"""Every example and benchmark explains itself: ``--help`` shows its whole opening paragraph."""

import runpy
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([*REPO.glob("examples/*.py"), *REPO.glob("benchmarks/*.py"), *REPO.glob("experiments/*.py")])


def opening_paragraph(script: Path) -> str:
    docstring = script.read_text(encoding="utf-8").split('"""')[1]
    return " ".join(docstring.split("\n\n")[0].split())


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: f"{script.parent.name}/{script.name}")
def test_help_shows_the_whole_opening_paragraph(script, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", [str(script), "--help"])
    monkeypatch.syspath_prepend(str(script.parent))  # scripts import their neighbours
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(script), run_name="__main__")
    assert exit_.value.code == 0
    assert opening_paragraph(script) in " ".join(capsys.readouterr().out.split())
