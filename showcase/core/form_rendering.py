"""How the public pages' forms render their widgets.

Django's template engine made widget rendering the largest cost of the search page
(~30 widgets) and a quarter of a detail page; Django's own Jinja2 widget templates give
the same HTML for a fraction of the time. Only the visitors' forms use it: the admin keeps
its template-based widgets, which the Jinja2 renderer cannot draw.
"""

from django.forms.renderers import Jinja2

PUBLIC_FORM_RENDERER = Jinja2()
