#!/usr/bin/env bash
# The 受理回执 PDF (services/applications/receipt.py) needs a CJK font. Install Debian's
# fonts-noto-cjk with apt when no CJK font is found and we are allowed to; otherwise say how.
# `manage.py check` warns (services.W001) as long as none is found.
set -uo pipefail
if command -v fc-list >/dev/null && [ -n "$(fc-list :lang=zh file 2>/dev/null | head -n1)" ]; then exit 0; fi
if [ -n "${RECEIPT_CJK_FONT:-}" ] && [ -f "${RECEIPT_CJK_FONT}" ]; then exit 0; fi
if ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing a CJK font for the receipt PDF (apt-get install fonts-noto-cjk)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq fonts-noto-cjk >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq fonts-noto-cjk >/dev/null; } \
    || echo "NOTE: could not install fonts-noto-cjk; receipts will be offered as a printable page." >&2
else
  echo "NOTE: no CJK font found; install one with: sudo apt-get install fonts-noto-cjk" >&2
  echo "      (or set RECEIPT_CJK_FONT to a .ttf/.otf/.ttc file). Until then the receipt PDF is" >&2
  echo "      replaced by a printable page." >&2
fi
exit 0
