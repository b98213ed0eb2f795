#!/usr/bin/env bash
# Run galaxy-importer (what Galaxy and Automation Hub run on upload) on the built tarball, offline
# and without containers, in its own venv (.tmp/galaxy-importer: its ansible-lint and ansible-core
# pins differ from requirements-dev.txt). Fails on any ERROR and on any WARNING that is ours.
#   .ci/galaxy_importer.sh .tmp/build/netobs-flowlogs-1.0.0.tar.gz
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tarball=$(realpath "$1")
GALAXY_IMPORTER_VERSION=0.4.44
venv=$here/.tmp/galaxy-importer
python=${PYTHON:-$here/.venv/bin/python}

if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('galaxy-importer') != '$GALAXY_IMPORTER_VERSION')" 2>/dev/null; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "galaxy-importer==$GALAXY_IMPORTER_VERSION"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/galaxy-importer.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Automation Hub's checks, offline: ansible-doc, ansible-lint (its --offline) and flake8 run from
# the venv; no ansible-test (it needs a container), versions below 1.0.0 refused.
cat > "$work/galaxy-importer.cfg" <<CFG
[galaxy-importer]
LOG_LEVEL_MAIN = INFO
RUN_ANSIBLE_TEST = False
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
RUN_FLAKE8 = True
CHECK_CHANGELOG = True
REQUIRE_V1_OR_GREATER = True
TMP_ROOT_DIR = $work
ANSIBLE_LOCAL_TMP = $work/ansible-tmp
CFG

status=0
(cd "$work" && env -i PATH="$venv/bin:/usr/bin:/bin" HOME="$work" LANG=C.UTF-8 \
   GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg" \
   "$venv/bin/python" -m galaxy_importer.main "$tarball") > "$work/log" 2>&1 || status=$?
grep -E '^(WARNING|ERROR)' "$work/log" > "$work/problems" || true
if [[ $status -ne 0 ]] || ! grep -q 'Importer processing completed successfully' "$work/log" || [[ -s "$work/problems" ]]; then
  echo "galaxy-importer $GALAXY_IMPORTER_VERSION: $(basename "$tarball") FAILED (exit $status):"
  if [[ -s "$work/problems" ]]; then cat "$work/problems"; else tail -20 "$work/log"; fi
  exit 1
fi
echo "galaxy-importer $GALAXY_IMPORTER_VERSION: $(basename "$tarball") imported, 0 errors, 0 warnings"
