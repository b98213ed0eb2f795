# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""read -> plan -> apply: the life of every module run.

A resource reads current state once, plans the change as an ordered list of steps with a
human-readable before/after, and applies the steps only outside check mode. Check mode is
therefore the plan without the apply, and diff mode is the plan shown.
"""


import abc
import traceback

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError, session_for_module
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError


class ResourceFailure(Exception):
    """The run failed after (possibly) changing things; ``result`` says what was done."""

    def __init__(self, message, **result):
        super(ResourceFailure, self).__init__(message)
        self.result = result


class StepPlan:
    """A resource's plan: the ordered steps from the current state to the desired one, the
    before/after diff mode shows, and ``predicted``: the module result the steps lead to, as far
    as it is known before they run (check mode reports it as is).

    Not the Insights engine's QueryPlan nor the flow-log FlowLogChange (one per watched resource).
    """

    def __init__(self, before=None, after=None, predicted=None):
        self.before = before
        self.after = after
        self.predicted = predicted if predicted is not None else {}
        self.steps = []

    def add(self, description, func, *args, **kwargs):
        """A step; what ``func`` returns is its report (see Report)."""
        self.steps.append((description, func, args, kwargs, False))

    def add_dependent(self, description, func, *args, **kwargs):
        """A step that acts on what the steps before it did: ``func(reports, *args, **kwargs)``."""
        self.steps.append((description, func, args, kwargs, True))

    @property
    def changed(self):
        return bool(self.steps)

    @property
    def descriptions(self):
        return [step[0] for step in self.steps]


class Report(dict):
    """What a step learnt that the prediction could not know (say, the id AWS assigned).

    A step returning a Report updates the predicted result; any other return value is the
    step's own business.
    """


def reported_result(predicted, reports):
    """``predicted`` updated with every Report among ``reports`` (None: nothing ran)."""
    result = dict(predicted or {})
    for report in reports or ():
        if isinstance(report, Report):
            result.update(report)
    return result


class Resource(metaclass=abc.ABCMeta):
    """Subclasses implement read(), plan(current) and, when the predicted result needs the
    steps' reports or a last lookup, result(plan, reports)."""

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
        """A StepPlan from current to desired state; must make no mutating call."""

    def apply(self, plan):
        """Run the steps in order and return their reports; a failing step names itself and every
        step already done."""
        done = []
        reports = []
        for description, func, args, kwargs, dependent in plan.steps:
            try:
                reports.append(func(list(reports), *args, **kwargs) if dependent else func(*args, **kwargs))
            except AwsApiError as exc:
                result = exc.as_result()
                message = "{0} (while trying to {1}".format(result.pop("msg"), description)
                hint = self.failure_hint(exc)
                if hint:
                    message += "; " + hint
                message += "; done before: {0})".format(", ".join(done) if done else "nothing")
                raise ResourceFailure(message, completed_actions=done, **result)
            done.append(description)
        return reports

    def failure_hint(self, exc):
        """Advice added to a failed step's message (say, "deleted by someone else: re-run"), or None."""
        return None

    def result(self, plan, reports):
        """The module result: the plan's prediction with the steps' reports (None: nothing ran)."""
        return reported_result(plan.predicted, reports)


def run_resource(module, resource_class):
    """The whole module run: validate, read, plan, apply (unless check mode), report."""
    session = session_for_module(module)
    resource = resource_class(session, module.params, module.check_mode)
    try:
        resource.validate()
        current = resource.read()
        plan = resource.plan(current)
        reports = resource.apply(plan) if plan.changed and not module.check_mode else None
        result = resource.result(plan, reports)
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
