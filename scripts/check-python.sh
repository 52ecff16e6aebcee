#!/usr/bin/env bash
# Fail early, in plain words, when the interpreter is too old for Django 6.
set -euo pipefail
py=${1:-python3}
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
  echo "Sunshine Portal needs Python 3.12 or newer; '$py' is $("$py" --version 2>&1)." >&2
  echo "With pyenv, the .python-version file in this folder selects 3.13 (pyenv install 3.13)." >&2
  echo "Or: make PYTHON=/path/to/python3.13 ..." >&2
  exit 1
fi
