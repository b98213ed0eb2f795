"""Where moto lacks or mis-emulates a call this collection uses, a faithful handler of ours.

Each submodule documents, per call, the AWS behaviour it implements and the moto behaviour it
replaces; ``apply_all`` installs them once per process. They lean on moto internals, which is
why moto is pinned exactly and ``tests/local_aws/test_patches.py`` fails loudly when those
internals move.
"""

import importlib

PATCH_MODULES = ("logs_log_groups", "iam_policies", "ec2_flow_logs", "ec2_describe", "ec2_regions", "logs_insights")
_applied = []


def apply_all():
    for name in PATCH_MODULES:
        if name in _applied:
            continue
        importlib.import_module(__name__ + "." + name).apply()
        _applied.append(name)
