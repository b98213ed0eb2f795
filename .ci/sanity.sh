#!/usr/bin/env bash
# ansible-test sanity, offline: a real ansible_collections/netobs/flowlogs copy outside the
# repository (a copy inside it would be skipped silently), and the get-pip shim in the cache.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$repo/.venv"
pip_version=$("$venv/bin/python" - <<'PY'
import ansible_test._internal.python_requirements as r, inspect, re
print(re.search(r"pip='([0-9.]+)'", inspect.getsource(r.get_venv_packages)).group(1))
PY
)
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
if ! ls "$cache"/pip-"$pip_version"-*.whl >/dev/null 2>&1; then
  "$venv/bin/pip" download -q --no-deps "pip==$pip_version" -d "$cache"
fi
cp "$repo/.ci/get_pip_shim.py" "$cache/get_pip_${pip_version//./_}.py"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/netobs/flowlogs"
mkdir -p "$dest"
(cd "$repo" && git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$dest")
cd "$dest"
PATH="$venv/bin:$PATH" ansible-test sanity --venv --python 3.12 --color no "$@"
