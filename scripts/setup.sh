#!/usr/bin/env bash
# Install what verbinding needs on Debian 12 (system packages, a Python venv with every
# dependency), then prepare the app (migrations, translations, static files).
#   bash scripts/setup.sh            runtime only (what `make demo` needs)
#   bash scripts/setup.sh --dev      plus test tools, Chromium, fonts, PostgreSQL (what `make test` needs)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
DEV=0; [ "${1:-}" = "--dev" ] && DEV=1

need=()
command -v msgfmt >/dev/null || need+=(gettext)
# WeasyPrint (the printable report) draws text with Pango; Noto covers Arabic, DejaVu the rest.
for pkg in libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
if [ "$DEV" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  [ -n "$(fc-list ':lang=ar' family 2>/dev/null | grep -i noto || true)" ] || need+=(fonts-noto-core)
  [ -n "$(fc-list ':lang=ti' 2>/dev/null)" ] || need+=(fonts-sil-abyssinica)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Please install these Debian packages first: ${need[*]}" >&2; exit 1
  fi
fi

# Python 3.11+ (Django 5.2 LTS). Prefer the machine's python3.
PY="${PYTHON:-python3}"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ needed" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
req=requirements.txt; [ "$DEV" = 1 ] && req=requirements-dev.txt
stamp=".venv/.installed-$(basename "$req" .txt)"
hash="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
  .venv/bin/pip install -q --disable-pip-version-check -U pip 2>/dev/null
  .venv/bin/pip install -q --disable-pip-version-check -r "$req" 2>&1 | grep -v "is ignored: it is neither" || true
  .venv/bin/pip check >/dev/null
  echo "$hash" > "$stamp"
fi
mkdir -p var
.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=staticfiles -v0
