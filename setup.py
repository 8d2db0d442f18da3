"""thidua: emulation and commendation councils' advanced models, on Plone 6."""

from pathlib import Path
from setuptools import find_packages
from setuptools import setup


here = Path(__file__).parent

setup(
    name="thidua",
    version="0.1.0.dev0",
    description=(
        "Plone 6 add-on for Vietnam's Emulation and Commendation Councils: "
        "plans, emulation movements, advanced models, approval chains, honour board."
    ),
    long_description=(here / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="GPL-2.0-only",
    python_requires=">=3.11",
    classifiers=[
        "Framework :: Plone",
        "Framework :: Plone :: 6.2",
        "Framework :: Plone :: Addon",
        "Programming Language :: Python :: 3.11",
        "Natural Language :: Vietnamese",
    ],
    # profiles/ (GenericSetup) and workflows/ (the approval chains) live at
    # the top of the repository, where integrators look for them, and are
    # linked into the package as src/thidua/profiles and src/thidua/workflows:
    # one layout that works editable, in a wheel and in buildout's develop.
    package_dir={"": "src"},
    packages=find_packages("src"),
    package_data={
        "thidua": [
            "**/*.zcml",
            "**/*.pt",
            "locales/*.pot",
            "locales/*/LC_MESSAGES/*.po",
            "deploy/templates/*",
            "profiles/**/*",
            "workflows/*",
            "openapi/*.yaml",
            "accessibility/static/*",
        ],
    },
    zip_safe=False,
    install_requires=[
        "Products.CMFPlone",
        "plone.classicui",
        "plone.api",
        "plone.restapi",
        "plone.app.workflow",
        "plone.app.dexterity",
        "PyYAML",
        "jsonschema",
        "holidays",
        "XlsxWriter",
        "pygal",
        "feedgen",
        # make start DB=postgres, make instances: RelStorage on PostgreSQL.
        "RelStorage",
        "psycopg2-binary",
        "collective.easyform",
        "python-docx",
        "docxtpl",
        "jinja2",
    ],
    extras_require={
        "test": [
            "pytest",
            "pytest-plone",
            "plone.app.testing",
            "requests",
            "ruff",
            "schemathesis",
            "i18ndude",
            # reading back the xlsx thidua writes
            "openpyxl",
            "playwright",
            "axe-playwright-python",
            # benchmarks/run.py's plots; tests/test_benchmarks.py runs it
            "matplotlib",
        ],
    },
    entry_points={
        # Plone loads thidua's ZCML through z3c.autoinclude.
        "z3c.autoinclude.plugin": ["target = plone"],
        # Reminders of deadlines, for cron (README: Deadlines and reminders).
        "console_scripts": ["thidua-remind = thidua.deadlines.remind:main"],
    },
)
