"""Shared pytest set-up: the collection import path and the local AWS fixtures."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from emulator._collection import install_collection_finder  # noqa: E402

install_collection_finder()

pytest_plugins = ["emulator.fixtures"]
