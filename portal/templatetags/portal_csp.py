from django import template

from portal.security.admin_csp import nonce_attr

register = template.Library()


@register.simple_tag
def admin_script_nonce():
    """` nonce="…"` for an inline <script> of Wagtail's admin (portal/security/admin_csp.py)."""
    return nonce_attr()
