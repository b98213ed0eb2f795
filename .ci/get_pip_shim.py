"""Offline stand-in for ansible-test's get-pip bootstrap script.

ansible-test downloads ``get-pip-<version>.py`` from a host this machine cannot reach to put
pip into each sanity venv. This shim does what that script does, from the pip wheel that
``make`` downloads from PyPI beside it: put the wheel on sys.path and run ``pip install`` with
the arguments ansible-test passes.
"""

import glob
import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WHEELS = sorted(glob.glob(os.path.join(HERE, "pip-*.whl")))
if not WHEELS:
    sys.exit("no pip wheel beside " + __file__)
sys.path.insert(0, WHEELS[-1])
# --no-setuptools / --no-wheel are get-pip.py's own flags (do not add those packages); pip install
# adds neither anyway.
ARGS = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
sys.argv = ["pip", "install", "--upgrade", "--force-reinstall"] + ARGS
runpy.run_module("pip", run_name="__main__", alter_sys=True)
