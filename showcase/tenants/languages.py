"""Which language a site serves at the root of its domain, and the URL patterns for it.

French is at the root unless the tenant chose another default language; the others sit
under /<code>/. Django's i18n_patterns only knows settings.LANGUAGE_CODE as the root
language and caches reversed URLs per language, so a tenant with another root language
gets its own URLconf (set as `request.urlconf` by the tenant middleware).
"""

from __future__ import annotations

import re
from importlib import import_module
from types import ModuleType

from django.conf import settings
from django.urls import URLPattern, URLResolver
from django.urls.resolvers import LocalePrefixPattern
from django.utils.translation import get_language


class RootLanguagePrefixPattern(LocalePrefixPattern):
    """`root` at the root of the site, every other language under /<code>/."""

    def __init__(self, root: str) -> None:
        super().__init__(prefix_default_language=False)
        self.root = root

    @property
    def language_prefix(self) -> str:
        language = get_language() or settings.LANGUAGE_CODE
        return "" if language == self.root else f"{language}/"


def site_patterns(
    root: str, common: list[URLPattern | URLResolver], localized: list[URLPattern | URLResolver]
) -> list[URLPattern | URLResolver]:
    return [*common, URLResolver(RootLanguagePrefixPattern(root), list(localized))]


_urlconfs: dict[str, ModuleType] = {}


def urlconf_for(root: str) -> ModuleType | None:
    """The URLconf of a site with `root` at its root (None: the project's own)."""
    if root == settings.LANGUAGE_CODE:
        return None
    if root not in _urlconfs:
        # The project's URLconf by its setting, not an import: it imports this module.
        urls = import_module(settings.ROOT_URLCONF)
        module = ModuleType(f"showcase.urls[{root}]")
        module.urlpatterns = site_patterns(root, urls.common_patterns, urls.localized_patterns)  # type: ignore[attr-defined]
        module.handler404 = urls.handler404  # type: ignore[attr-defined]
        _urlconfs[root] = module
    return _urlconfs[root]


# Browsers read a path starting with two slashes (or a slash and a backslash) as another
# host: "//evil.example" is https://evil.example/.
_LEADING_SLASHES = re.compile(r"^[/\\]+")


def language_path(path: str, language: str, root: str) -> str:
    """`path` (in any language) in `language`, on a site whose root language is `root`.

    Always a path on this site: leading slashes and backslashes collapse into one, so
    `/en//evil.example` becomes `/evil.example`, never `//evil.example`."""
    codes = [code for code, _name in settings.LANGUAGES]
    parts = path.split("/", 2)
    rest = "/" + parts[2] if len(parts) > 2 and parts[1] in codes else path
    rest = "/" + _LEADING_SLASHES.sub("", rest)
    return rest if language == root else f"/{language}{rest}"
