"""Binder builds the lesson from environment.yml, pip from pyproject.toml: the two must name the same dependencies."""
import re
from pathlib import Path

import yaml  # PyYAML comes with JupyterLab (jupyter-events)
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
ENVIRONMENT = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))

# pip name -> conda-forge name, where they differ (CPU-only PyTorch: Binder has no GPU, and the CUDA build is gigabytes)
CONDA_NAMES = {"torch": "pytorch-cpu"}


def conda_packages() -> dict:
    """environment.yml's conda dependencies as {name: version spec}, e.g. {"numpy": ">=1.24", "python": "=3.11"}."""
    found = {}
    for entry in ENVIRONMENT["dependencies"]:
        if isinstance(entry, str):
            name, spec = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", entry.strip()).groups()
            found[name.lower()] = spec.replace(" ", "")
    return found


def pip_section() -> list:
    return next((entry["pip"] for entry in ENVIRONMENT["dependencies"]
                 if isinstance(entry, dict) and "pip" in entry), [])


def test_binder_installs_every_runtime_dependency_with_the_same_versions():
    conda = conda_packages()
    for requirement in map(Requirement, PROJECT["dependencies"]):
        name = CONDA_NAMES.get(requirement.name.lower(), requirement.name.lower())
        assert name in conda, f"environment.yml lacks {name} (pyproject.toml needs {requirement})"
        assert SpecifierSet(conda[name]) == requirement.specifier, (
            f"environment.yml asks for {name}{conda[name]}, pyproject.toml for {requirement}")


def test_binder_uses_conda_forge_and_cpu_only_pytorch():
    assert ENVIRONMENT["channels"] == ["conda-forge"]
    assert "pytorch-cpu" in conda_packages() and "pytorch" not in conda_packages()


def test_binder_pins_a_python_the_package_supports():
    """Without a pin Binder picks its own, possibly old, Python."""
    pin = conda_packages().get("python", "")
    match = re.fullmatch(r"==?(3\.\d+)(\.\*)?", pin)
    assert match, f"environment.yml should pin python=3.X, not {pin!r}"
    assert Version(match.group(1)) in SpecifierSet(PROJECT["requires-python"])


def test_binder_installs_the_package_itself_with_pip():
    assert "pip" in conda_packages()
    assert "-e .[text]" in pip_section(), ("environment.yml should install diffusion-lab with `pip: [-e .[text]]` "
                                           "(lesson 5 needs the text extra)")
