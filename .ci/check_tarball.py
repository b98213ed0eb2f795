"""The collection tarball holds what an installed collection uses, and nothing of the workshop.

Not shipped: venvs, tests, CI, the local AWS, the demo (it needs this repository's local AWS), the
molecule extensions, ansible-builder's context, changelog fragments. Required: the metadata, a
README per role (Galaxy refuses a role without one), and the user agent's version equal to the
collection's (plugins/module_utils/aws.py COLLECTION_VERSION).
"""

import json
import re
import sys
import tarfile

FORBIDDEN = (".venv/", ".tmp/", ".ci/", ".git/", "local_aws/", "tests/", "bench/", "demo/", "extensions/",
             "context/", "build/", "changelogs/fragments/", "__pycache__/", ".pytest_cache/", ".hypothesis/",
             "requirements-dev.txt", "execution-environment.yml", "ansible.cfg", "Makefile")
REQUIRED = ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "README.md", "plugins/module_utils/aws.py",
            "changelogs/changelog.yaml")


def problems(path):
    with tarfile.open(path) as tar:
        names = tar.getnames()
        links = [m.name for m in tar.getmembers() if m.issym() or m.islnk()]
        manifest = json.load(tar.extractfile("MANIFEST.json")) if "MANIFEST.json" in names else {}
        aws = tar.extractfile("plugins/module_utils/aws.py").read().decode() \
            if "plugins/module_utils/aws.py" in names else ""
    found = []
    bad = [n for n in names for f in FORBIDDEN if ("/" + n + "/").find("/" + f) >= 0 or n == f.rstrip("/")]
    if bad:
        found.append("unexpected {0}".format(sorted(set(bad))[:10]))
    missing = [r for r in REQUIRED if r not in names]
    roles = sorted({n.split("/")[1] for n in names if n.startswith("roles/") and n.count("/") >= 2})
    missing += ["roles/{0}/README.md".format(r) for r in roles if "roles/{0}/README.md".format(r) not in names]
    if missing:
        found.append("missing {0}".format(missing))
    if links:
        found.append("links {0}".format(links))
    version = manifest.get("collection_info", {}).get("version")
    agent = re.search(r'^COLLECTION_VERSION = "([^"]+)"', aws, re.M)
    if version and (not agent or agent.group(1) != version):
        found.append("galaxy.yml version {0} but COLLECTION_VERSION {1}".format(
            version, agent.group(1) if agent else None))
    return names, found


def main(path):
    names, found = problems(path)
    if found:
        print("bad tarball {0}: {1}".format(path, "; ".join(found)))
        return 1
    print("tarball {0}: {1} entries, clean".format(path, len(names)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
