#!/usr/bin/env bash
# Build the execution environment from a temporary directory, so neither ansible-builder's
# context/ nor the tarball is left in the repository (where the next collection build would ship
# them). Usage:
#   .ci/build_ee.sh -t registry.example.com/netobs-flowlogs-ee:1.0.0   # build the image
#   .ci/build_ee.sh --create-only OUTDIR     # only write the build context into OUTDIR (no container engine)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${VENV_BIN:-$here/.venv/bin}
create_only=""
if [[ "${1:-}" == "--create-only" ]]; then create_only=$2; shift 2; fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/netobs-flowlogs-ee.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$here/execution-environment.yml" "$here/requirements.txt" "$stage/"
(cd "$here" && "$bin/ansible-galaxy" collection build --output-path "$stage/build" --force >/dev/null)
shopt -s nullglob
tarballs=("$stage"/build/netobs-flowlogs-*.tar.gz)
if [[ ${#tarballs[@]} -ne 1 ]]; then
  echo "build_ee: expected one collection tarball, found ${#tarballs[@]}" >&2
  exit 1
fi

if [[ -n "$create_only" ]]; then
  rm -rf "$create_only"
  "$bin/ansible-builder" create -f "$stage/execution-environment.yml" -c "$create_only" --output-filename Containerfile -v 1
  # The tarball must be in the context and named by the Containerfile's install step.
  ls "$create_only"/_build/collections/"$(basename "${tarballs[0]}")" >/dev/null
  grep -q 'ansible-galaxy collection install /tmp/netobs-collections/netobs-flowlogs-\*.tar.gz' "$create_only/Containerfile"
  echo "build_ee: context for $(basename "${tarballs[0]}") in $create_only"
else
  "$bin/ansible-builder" build -f "$stage/execution-environment.yml" -c "$stage/context" "$@"
fi
