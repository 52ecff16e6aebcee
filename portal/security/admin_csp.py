"""The admin's script CSP without 'unsafe-inline': Wagtail 8 still writes a few inline <script>
elements of its own (the init calls of chooser widgets, InlinePanel / MultipleChooserPanel and the
date/time pickers). Each of those gets the response's CSP nonce instead:

- `BaseChooser.render` is replaced by the same code with a nonce on its <script> (`install()`,
  from PortalConfig.ready; Wagtail is pinned to 8.0.x and a test compares the output with
  Wagtail's own);
- the panel and widget templates are overridden in portal/templates/wagtailadmin/ (an app
  directory, so the form renderer finds the widget templates too) and print
  `{% admin_script_nonce %}`.

Widgets and panels render without the request, so the nonce travels in a context variable that
`SecurityHeadersMiddleware` sets for the request. Nothing else gets the nonce: it is never added
to markup after the fact, so injected markup still cannot run."""

from contextvars import ContextVar

from django.utils.html import format_html
from django.utils.safestring import mark_safe

current_nonce: ContextVar[object | None] = ContextVar("portal_csp_nonce", default=None)


def nonce_attr() -> str:
    """` nonce="…"` for the current request, or "" outside a request (e.g. a management command)."""
    nonce = current_nonce.get()
    return format_html(' nonce="{}"', str(nonce)) if nonce is not None else ""


def _chooser_render(self, name, value, attrs=None, renderer=None):
    # wagtail.admin.widgets.chooser.BaseChooser.render (8.0), with the nonce on the <script>.
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    js = self.render_js_init(id_, name, value_data)
    return mark_safe(f"{widget_html}<script{nonce_attr()}>{js}</script>")  # noqa: S308 - as Wagtail


def install() -> None:
    from wagtail.admin.widgets.chooser import BaseChooser

    BaseChooser.render = _chooser_render
