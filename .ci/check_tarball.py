"""The collection tarball holds the collection and nothing of the workshop (venvs, tests, CI)."""

import sys
import tarfile

FORBIDDEN = (".venv/", ".tmp/", ".ci/", ".git/", "local_aws/", "tests/unit/", "tests/integration/", "bench/",
             "extensions/molecule/", "__pycache__/", ".pytest_cache/", ".hypothesis/", "requirements-dev.txt")
REQUIRED = ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "README.md", "plugins/module_utils/aws.py")


def main(path):
    with tarfile.open(path) as tar:
        names = tar.getnames()
        links = [m.name for m in tar.getmembers() if m.issym() or m.islnk()]
    bad = [n for n in names for f in FORBIDDEN if ("/" + n + "/").find("/" + f) >= 0 or n == f.rstrip("/")]
    missing = [r for r in REQUIRED if r not in names]
    if bad or missing or links:
        print("bad tarball {0}: unexpected {1}, missing {2}, links {3}".format(path, bad[:10], missing, links))
        return 1
    print("tarball {0}: {1} entries, clean".format(path, len(names)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
