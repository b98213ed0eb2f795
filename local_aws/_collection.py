"""Make ``ansible_collections.netobs.flowlogs`` importable from a plain git checkout."""

import os
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS_ROOT = os.path.join(REPO_ROOT, ".tmp", "collections")


def collections_root():
    """The directory that holds ``ansible_collections/netobs/flowlogs`` for this checkout."""
    parts = REPO_ROOT.split(os.sep)
    if len(parts) >= 3 and parts[-3] == "ansible_collections":
        return os.sep.join(parts[:-3])
    link = os.path.join(COLLECTIONS_ROOT, "ansible_collections", "netobs", "flowlogs")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(REPO_ROOT, link)
    return COLLECTIONS_ROOT


def install_collection_finder():
    """Install ansible's collection finder (what ansible-test and pytest-ansible do)."""
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder

    if any(type(finder).__name__ == "_AnsibleCollectionFinder" for finder in sys.meta_path):
        return
    root = collections_root()
    os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", root)
    _AnsibleCollectionFinder(paths=[root])._install()
