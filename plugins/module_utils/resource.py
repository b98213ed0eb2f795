# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""read -> plan -> apply: the life of every module run.

A resource reads current state once, plans the change as an ordered list of steps with a
human-readable before/after, and applies the steps only outside check mode. Check mode is
therefore the plan without the apply, and diff mode is the plan shown.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import abc
import traceback

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError, session_for_module
from ansible_collections.netobs.flowlogs.plugins.module_utils.validation import ValidationError


class ResourceFailure(Exception):
    """The run failed after (possibly) changing things; ``result`` says what was done."""

    def __init__(self, message, **result):
        super(ResourceFailure, self).__init__(message)
        self.result = result


class Plan:
    """The steps that turn the current state into the desired one."""

    def __init__(self, before=None, after=None):
        self.before = before
        self.after = after
        self.steps = []

    def add(self, description, func, *args, **kwargs):
        self.steps.append((description, func, args, kwargs))

    @property
    def changed(self):
        return bool(self.steps)

    @property
    def descriptions(self):
        return [step[0] for step in self.steps]


class Resource(metaclass=abc.ABCMeta):
    """Subclasses implement read(), plan(current) and result(plan, applied)."""

    def __init__(self, session, params, check_mode=False):
        self.session = session
        self.params = params
        self.check_mode = check_mode

    def validate(self):  # noqa: B027 - optional hook, most resources validate in plan()
        """Checks that need no AWS call; raise ValidationError."""

    @abc.abstractmethod
    def read(self):
        """Current state, read once (None when the resource does not exist)."""

    @abc.abstractmethod
    def plan(self, current):
        """A Plan from current to desired state; must make no mutating call."""

    def apply(self, plan):
        """Run the steps in order; a failing step names itself and every step already done."""
        done = []
        for description, func, args, kwargs in plan.steps:
            try:
                func(*args, **kwargs)
            except AwsApiError as exc:
                result = exc.as_result()
                message = "{0} (while trying to {1}".format(result.pop("msg"), description)
                hint = self.failure_hint(exc)
                if hint:
                    message += "; " + hint
                message += "; done before: {0})".format(", ".join(done) if done else "nothing")
                raise ResourceFailure(message, completed_actions=done, **result)
            done.append(description)

    def failure_hint(self, exc):
        """Advice added to a failed step's message (say, "deleted by someone else: re-run"), or None."""
        return None

    def result(self, plan, applied):
        return {}


def run_resource(module, resource_class):
    """The whole module run: validate, read, plan, apply (unless check mode), report."""
    session = session_for_module(module)
    resource = resource_class(session, module.params, module.check_mode)
    try:
        resource.validate()
        current = resource.read()
        plan = resource.plan(current)
        applied = plan.changed and not module.check_mode
        if applied:
            resource.apply(plan)
        result = resource.result(plan, applied)
    except ValidationError as exc:
        module.fail_json(msg=str(exc), invalid_parameter=exc.param)
    except ResourceFailure as exc:
        module.fail_json(msg=str(exc), **exc.result)
    except AwsApiError as exc:
        module.fail_json(**exc.as_result())
    except Exception as exc:  # pylint: disable=broad-except  # a bug must still end in fail_json, not a traceback
        module.fail_json(msg="unexpected error in {0}: {1}: {2}".format(
            resource_class.__name__, type(exc).__name__, exc), exception=traceback.format_exc())
    result["changed"] = plan.changed
    result.setdefault("actions", plan.descriptions)
    if module._diff:
        result["diff"] = dict(before=plan.before or {}, after=plan.after or {})
    module.exit_json(**result)
