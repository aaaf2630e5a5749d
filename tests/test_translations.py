"""Every interface string is translated in French, English and German, and the catalogs
follow the code: a string added to a template or to Python without its three
translations fails here (fix: `make messages`, then translate the new entries)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "showcase" / "locale"
LANGUAGES = ["fr", "en", "de"]

# %(name)s / %(ratio).1f (named), %s / %d (positional), {} / {0} / {name} (str.format).
NAMED = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%(?!\()[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACES = re.compile(r"\{[^{}\s]*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def label(entry: polib.POEntry) -> str:
    where = entry.occurrences[0][0] if entry.occurrences else "?"
    return f"{entry.msgid!r} ({where})"


def forms(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def shape(text: str, python_format: bool) -> tuple[frozenset[str], list[str], list[str]]:
    """What a translation must keep from its source: placeholders and HTML tags."""
    named = frozenset(NAMED.findall(text)) if python_format else frozenset()
    positional = POSITIONAL.findall(text) if python_format else []
    return named, positional + BRACES.findall(text), sorted(TAG.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalog(language)
    plural_forms = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    missing = [label(e) for e in po if not e.obsolete and not all(forms(e))]
    fuzzy = [label(e) for e in po if "fuzzy" in e.flags]
    bad_plurals = [label(e) for e in po if e.msgid_plural and len(e.msgstr_plural) != plural_forms]
    assert not po.metadata_is_fuzzy, f"{language}: the catalog header is marked fuzzy"
    assert po.metadata["Language"] == language
    assert not missing, f"{language}: untranslated entries:\n" + "\n".join(missing)
    assert not fuzzy, f"{language}: fuzzy entries (check, then drop the flag):\n" + "\n".join(fuzzy)
    assert not bad_plurals, f"{language}: need {plural_forms} plural forms:\n" + "\n".join(
        bad_plurals
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_markup_of_the_source(language):
    wrong = []
    for entry in catalog(language):
        python_format = "python-format" in entry.flags
        for index, text in enumerate(forms(entry)):
            if not text:
                continue  # reported by the test above
            named, ordered, tags = shape(text, python_format)
            if entry.msgid_plural:
                # A singular form may spell out "one" instead of using the count.
                allowed = (
                    shape(entry.msgid, python_format)[0]
                    | shape(entry.msgid_plural, python_format)[0]
                )
                source = shape(entry.msgid_plural if index else entry.msgid, python_format)
                ok = named <= allowed and (ordered, tags) == source[1:]
            else:
                ok = (named, ordered, tags) == shape(entry.msgid, python_format)
            if not ok:
                wrong.append(f"{label(entry)} -> {text!r}")
    assert not wrong, f"{language}: placeholders or HTML differ from the source:\n" + "\n".join(
        wrong
    )


def test_placeholder_check_catches_a_dropped_or_renamed_placeholder():
    assert shape("%(count)s listings", True) != shape("%(total)s annonces", True)
    assert shape("{} excluding fees", False) != shape("hors honoraires", False)
    assert shape("<strong>%(price)s</strong>", True) != shape("%(price)s", True)
    assert shape("Fees: %(percent)s incl. VAT", True) == shape("%(percent)s TTC", True)
    # French typography ("50 % sur") is not a placeholder when the entry has none.
    assert shape("50 % sur le prix", False) == shape("50% off", False)


# Never copied into the scratch tree: not sources, or big (databases, reports, npm tools).
NOT_SOURCES = shutil.ignore_patterns(
    ".*",
    "__pycache__",
    "*.pyc",
    "*.mo",
    "*.sqlite3*",
    "node_modules",
    "var",
    "media",
    "staticfiles",
)


@pytest.fixture(scope="module")
def strings_in_the_code(tmp_path_factory) -> set[tuple[str | None, str, str]]:
    """Extract the strings as `make messages` does, from a scratch copy of the tree.

    makemessages writes beside the sources it reads (a `.py` next to each template, the
    .pot and .po under the locale folder): run on the real tree, it races with the other
    pytest workers and with anyone editing. On a copy, in its own process (it changes
    neither this process's settings nor its working directory), it touches nothing here.
    """
    scratch = tmp_path_factory.mktemp("tree") / "vitrine"
    shutil.copytree(ROOT, scratch, ignore=NOT_SOURCES)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "showcase.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--keep-pot", "--no-obsolete"],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"makemessages failed:\n{done.stdout}{done.stderr}"
    pot = polib.pofile(str(scratch / "showcase" / "locale" / "django.pot"))
    assert len(pot) > 100, "the extraction found almost nothing: check makemessages"
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in pot}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_exactly_the_strings_of_the_code(language, strings_in_the_code):
    in_catalog = {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalog(language)}
    new = sorted(repr(m[1]) for m in strings_in_the_code - in_catalog)
    gone = sorted(repr(m[1]) for m in in_catalog - strings_in_the_code)
    hint = "run `make messages`, then translate the new entries in fr, en and de"
    assert not new, f"{language}: strings of the code missing from the catalog ({hint}):\n" + (
        "\n".join(new)
    )
    assert not gone, f"{language}: entries no longer in the code ({hint}):\n" + "\n".join(gone)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_matches_the_po_file(language):
    """The site reads the .mo files; a stale one means `make compilemessages` was skipped."""
    mo_path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run `make compilemessages`"
    compiled = {(e.msgctxt, e.msgid): forms(e) for e in polib.mofile(str(mo_path)) if e.msgid}
    stale = [
        label(e)
        for e in catalog(language)
        if not e.obsolete
        and "fuzzy" not in e.flags
        and compiled.get((e.msgctxt, e.msgid)) != forms(e)
    ]
    assert not stale, f"{language}: run `make compilemessages`; differs:\n" + "\n".join(stale)
