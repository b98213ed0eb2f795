"""Shared pytest set-up: the collection import path and the local AWS fixtures."""

from local_aws._collection import install_collection_finder

install_collection_finder()

pytest_plugins = ["support.fixtures"]
