"""makemessages that only reads the project's own code and templates.

Django documents subclassing this command to customise it. Both `make messages` and
tests/test_translations.py rely on these defaults, so the catalogs and the staleness
check always see the same set of strings.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import makemessages

# The virtualenv, the tests, collected static files and vendored packages hold no
# interface string of ours; scanning them would fill the catalogs with foreign ones.
NOT_OURS = [".venv", "tests", "staticfiles", "node_modules"]


class Command(makemessages.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *NOT_OURS]
        super().handle(*args, **options)
