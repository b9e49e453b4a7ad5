"""The container files (Dockerfile, .dockerignore), checked on their text for the faults a build on 03/12/2026
found: the image is built where no test can run Docker (.ci/run builds it only when an engine answers)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_commands() -> list[str]:
    """Each shell command of the Dockerfile's RUN instructions (continuation lines joined, split at &&)."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    runs = [line[4:] for line in text.splitlines() if line.startswith("RUN ")]
    return [command.strip() for run in runs for command in run.split("&&")]


def test_the_secrets_of_a_machine_never_go_into_the_image():
    patterns = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in patterns  # COPY . . would otherwise bake the database password and the secret key in


def test_every_management_command_of_the_build_has_a_secret_key():
    # With DEBUG off (the image's ENV) the settings refuse to load without one; the real key comes at run time.
    commands = [c for c in _run_commands() if "manage.py" in c]
    assert commands
    for command in commands:
        assert re.search(r"\bDJANGO_SECRET_KEY=\S+ python manage\.py ", command), command


def test_the_tools_the_build_runs_are_installed():
    commands = _run_commands()
    installed = " ".join(c for c in commands if c.startswith("apt-get install")).split()
    if any("compilemessages" in c for c in commands):
        assert "gettext" in installed  # msgfmt
    assert {"fonts-liberation2", "libpango-1.0-0", "curl"} <= set(installed)  # PDFs, and the health check
