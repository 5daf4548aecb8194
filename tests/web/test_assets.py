"""The portal's static files: built from the locked npm packages, self-contained, light, and
shipped in the wheel (issue 10: the NHS.UK design system built with sass at build time and
shipped in the wheel; no CDN, no external fonts, no NHS logo; first view <= 60 KB gzipped)."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from icsatlas.web.design import STATIC_DIR

ROOT = Path(__file__).resolve().parents[2]
CSS = STATIC_DIR / "icsatlas.css"
# The NHS logo's outline as nhsuk-frontend draws it (the start of the path in its header
# template): its letters' shapes, which no file of ours may carry.
NHS_LOGO_PATH = "M200 0v80H0V0h200Z"
CSS_BUDGET_GZIPPED = 30 * 1024  # half of issue 10's 60 KB first view, the rest for HTML and SVG


def static_files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_the_committed_css_is_what_the_build_makes_from_the_locked_packages(tmp_path):
    """scripts/build-frontend runs `npm ci` on package-lock.json in a scratch folder and
    compiles the Sass: its output must be byte for byte what is committed."""
    subprocess.run([ROOT / "scripts" / "build-frontend", tmp_path], check=True, timeout=300)
    committed = {
        name: data
        for name, data in static_files(STATIC_DIR).items()
        if name == "icsatlas.css" or name.startswith("images/")
    }
    assert committed == static_files(tmp_path), "run scripts/build-frontend, commit the result"


def test_the_css_loads_no_font_and_nothing_from_another_site():
    css = CSS.read_text()
    assert "@font-face" not in css
    assert "Frutiger" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), "a url() points to another site"
    assert not re.search(r"@import", css)


def test_the_system_font_stack_is_the_pages_font():
    assert re.search(r"html\{font-family:system-ui,[^}]*sans-serif\}", CSS.read_text())


def test_every_url_in_the_css_is_a_shipped_file():
    urls = set(re.findall(r"url\(\"([^\"]+)\"\)", CSS.read_text()))
    assert urls, "the CSS's icons are no longer found: check this test's pattern"
    for url in urls:
        assert (STATIC_DIR / url).is_file(), url


def test_no_static_file_or_template_draws_the_nhs_logo():
    shipped = [*STATIC_DIR.rglob("*"), *(STATIC_DIR.parent / "templates").rglob("*")]
    for path in (p for p in shipped if p.is_file()):
        assert "logo" not in path.name.lower(), path
        assert NHS_LOGO_PATH not in path.read_text(), path
    assert not re.search(r"url\([^)]*logo", CSS.read_text())


def test_the_css_is_well_within_the_first_view_budget():
    """Measured 19.9 KB gzipped (186 KB raw) with nhsuk-frontend 10.6.1; all of
    nhsuk-frontend would be 30.0 KB."""
    assert len(gzip.compress(CSS.read_bytes(), compresslevel=9)) <= CSS_BUDGET_GZIPPED


def test_the_notice_names_the_locked_versions_and_every_copied_icon():
    notice = (STATIC_DIR.parent / "NOTICE.md").read_text()
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for package in ("nhsuk-frontend", "sass"):
        assert f"| {lock[f'node_modules/{package}']['version']} |" in notice, package
    for icon in (STATIC_DIR / "images").iterdir():
        assert f"`{icon.name}`" in notice, icon.name


@pytest.mark.slow
def test_the_static_files_and_templates_are_in_the_wheel(tmp_path):
    """`pip install` of the wheel needs no npm: the built CSS, icons and templates are in it."""
    source = tmp_path / "source"
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-q", "-w", wheels],
        check=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("icsatlas-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    web = STATIC_DIR.parent
    expected = {
        f"icsatlas/web/{path.relative_to(web)}"
        for folder in (web / "static", web / "templates")
        for path in folder.rglob("*")
        if path.is_file()
    }
    assert {"icsatlas/web/static/icsatlas.css", "icsatlas/web/templates/layout.html"} <= expected
    assert expected <= names
