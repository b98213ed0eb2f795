# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Writes one report scope's files on the controller in one action.

The report is the controller's own output, so nothing is sent to a target: one ``copy`` or
``template`` task per file costs a module run each (a fork, an AnsiballZ payload, a Python start),
about 0.3 CPU-s, and a target's report is some twenty files. Here they are rendered and written in
the worker that runs the task, and only files whose bytes change are replaced (atomically).
"""

import os
import tempfile

from ansible import constants as C
from ansible.errors import AnsibleActionFail, AnsibleError
from ansible.plugins.action import ActionBase
from ansible.plugins.filter.core import to_nice_json
from ansible.template import trust_as_template

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import report_slug, to_csv

ARGUMENT_SPEC = {
    "dest": {"type": "path", "required": True},
    "sections": {"type": "list", "elements": "dict", "required": True},
    "failures": {"type": "list", "elements": "dict", "default": []},
    "templates": {"type": "list", "elements": "str", "default": ["report.md", "report.html"]},
    "mode": {"type": "str", "default": "0644"},
    "directory_mode": {"type": "str", "default": "0755"},
}


def _nice_json(value):
    """What the role's files held when written with ``to_nice_json``, and a final newline."""
    return to_nice_json(value) + "\n"


def _mode(value, name):
    try:
        return int(str(value), 8)
    except ValueError:
        raise AnsibleActionFail("report_files: {0} must be an octal mode such as 0644, not {1!r}".format(name, value))


def _current(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _write(path, data, mode):
    """Replace ``path`` atomically: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".report-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _diff(path, before, after):
    if max(len(before or b""), len(after)) > C.MAX_FILE_SIZE_FOR_DIFF:
        return {"before_header": path, "after_header": path,
                "before": "", "after": "[file larger than {0} bytes: no diff]\n".format(C.MAX_FILE_SIZE_FOR_DIFF)}
    return {"before_header": path, "after_header": path,
            "before": (before or b"").decode("utf-8", "replace"), "after": after.decode("utf-8", "replace")}


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)[1]
        file_mode = _mode(args["mode"], "mode")
        directory_mode = _mode(args["directory_mode"], "directory_mode")
        dest = args["dest"]

        files = []
        for section in args["sections"]:
            if "id" not in section:
                raise AnsibleActionFail("report_files: every section needs an id (got keys {0})".format(
                    ", ".join(sorted(section))))
            slug = report_slug(section["id"])
            rows = section.get("rows") or []
            files.append(("csv/{0}.csv".format(slug), to_csv(rows)))
            files.append(("json/{0}.json".format(slug), _nice_json(rows)))
        files.append(("json/failures.json", _nice_json(args["failures"])))
        for name in args["templates"]:
            files.append((name, self._render(name, task_vars)))

        written, diffs = [], []
        for relative, text in files:
            path = os.path.join(dest, relative)
            data = text.encode("utf-8")
            before = _current(path)
            if before == data:
                continue
            written.append(path)
            if self._task.diff:
                diffs.append(_diff(path, before, data))
            if not self._task.check_mode:
                os.makedirs(os.path.dirname(path), mode=directory_mode, exist_ok=True)
                _write(path, data, file_mode)
        every = [os.path.join(dest, relative) for relative, _text in files]
        result.update(changed=bool(written), dest=dest, files=every, written=written)
        if diffs:
            result["diff"] = diffs
        return result

    def _render(self, name, task_vars):
        """``name``.j2 from the role's templates, rendered as the template module does (trim_blocks)."""
        try:
            source = self._find_needle("templates", name + ".j2")
        except AnsibleError as error:  # the message names the paths searched
            raise AnsibleActionFail("report_files: template {0}.j2 not found: {1}".format(name, error))
        searchpath = [os.path.dirname(source)] + list(task_vars.get("ansible_search_path") or [])
        templar = self._templar.copy_with_new_env(searchpath=searchpath, available_variables=task_vars)
        text = templar.template(trust_as_template(self._loader.get_text_file_contents(source)),
                                escape_backslashes=False, overrides={"trim_blocks": True, "lstrip_blocks": False})
        return "" if text is None else str(text)
