"""Default reply templates, one folder per language; team leads override them by name."""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).parent
