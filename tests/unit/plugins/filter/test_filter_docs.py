"""Every filter is documented where ansible-doc and Galaxy look: a file of its own named after it, with
DOCUMENTATION that names it and documents the arguments its function takes."""

import importlib
import inspect
import json
import os
import pathlib
import subprocess
import sys

import pytest
import yaml

FILTER_DIR = pathlib.Path(__file__).resolve().parents[4] / "plugins" / "filter"
FILES = sorted(path.stem for path in FILTER_DIR.glob("*.py") if path.stem != "__init__")


def _filters(stem):
    module = importlib.import_module("ansible_collections.netobs.flowlogs.plugins.filter." + stem)
    return module, module.FilterModule().filters()


def test_the_directory_holds_only_python_filter_files():
    assert FILES, FILTER_DIR
    others = [path.name for path in FILTER_DIR.iterdir() if path.suffix != ".py" and path.name != "__pycache__"]
    assert others == []


@pytest.mark.parametrize("stem", FILES)
def test_each_file_holds_one_filter_documented_under_its_name(stem):
    module, filters = _filters(stem)
    assert list(filters) == [stem]
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert doc["name"] == stem
    assert yaml.safe_load(module.RETURN)["_value"]["description"]
    assert module.EXAMPLES.strip()
    parameters = list(inspect.signature(filters[stem]).parameters)
    documented = list(doc.get("options") or {})
    assert documented[0] == "_input"
    assert sorted(documented[1:]) == sorted(parameters[1:]), "options must be the function's arguments"
    positional = [name.strip() for name in (doc.get("positional") or "").split(",") if name.strip()]
    assert positional == [name for name in parameters[1:] if name in positional], "positional in call order"


def test_ansible_doc_reads_every_filter():
    env = dict(os.environ)
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", str(FILTER_DIR.parents[1] / ".tmp" / "collections"))
    names = ["netobs.flowlogs." + stem for stem in FILES]
    ansible_doc = pathlib.Path(sys.executable).with_name("ansible-doc")
    result = subprocess.run([str(ansible_doc), "--type", "filter", "--json"] + names, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    docs = json.loads(result.stdout)
    assert sorted(docs) == sorted(names)
    assert all(entry["doc"]["short_description"] for entry in docs.values())
