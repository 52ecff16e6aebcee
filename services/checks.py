"""System checks of this app (`manage.py check`, and at every start of runserver and of the
workers): the 受理回执 PDF needs a CJK font."""

from django.core.checks import Warning, register


@register()
def receipt_font(app_configs, **kwargs):
    from .applications.receipt import find_cjk_font

    if find_cjk_font() is not None:
        return []
    return [
        Warning(
            "No CJK font for the 受理回执 PDF: receipts are replaced by a printable page.",
            hint="Install Debian's fonts-noto-cjk (scripts/ensure-fonts.sh does, as root) "
            "or set RECEIPT_CJK_FONT to a .ttf/.otf/.ttc file.",
            id="services.W001",
        )
    ]
