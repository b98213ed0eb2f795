"""report_files: one scope's report written on the controller in one action - only changed files
replaced, nothing written in check mode, before/after in diff mode, every path under dest."""

import json
import os
import stat

import pytest

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Write the files
      netobs.flowlogs.report_files:
        dest: "{{ dest }}"
        sections: "{{ sections }}"
        failures: "{{ failures | default([]) }}"
        templates: [summary.md]
      vars:
        title: "Report of {{ who }}"
"""

TEMPLATE = """# {{ title }}
{% for section in sections %}
- {{ section.id }}: {{ section.rows | length }} rows
{% endfor %}
"""

ROWS = [{"srcAddr": "10.0.0.1", "bytes": 1200}, {"srcAddr": "=cmd|'/c calc'!A0", "bytes": 7}]


@pytest.fixture
def write(run_playbook, tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "summary.md.j2").write_text(TEMPLATE)
    (tmp_path / "play.yml").write_text(PLAYBOOK)
    dest = tmp_path / "out"

    def run(sections, check=False, diff=False, **extra):
        variables = dict(dest=str(dest), sections=sections, who="fleet")
        variables.update(extra)
        run = run_playbook(str(tmp_path / "play.yml"), extra_vars=variables, check=check, diff=diff)
        return run, dest

    return run


def test_writes_every_file_once_then_reports_no_change(write):
    sections = [{"id": "top_talkers", "rows": ROWS}, {"id": "empty", "rows": []}]
    first, dest = write(sections)
    assert first.returncode == 0, first.stdout[-3000:]
    result = first.result("Write the files")
    names = ("csv/top_talkers.csv", "json/top_talkers.json", "csv/empty.csv", "json/empty.json", "json/failures.json",
             "summary.md")
    expected = sorted(str(dest / name) for name in names)
    assert result["changed"] is True
    assert sorted(result["files"]) == expected and sorted(result["written"]) == expected
    assert json.loads((dest / "json" / "top_talkers.json").read_text()) == ROWS
    csv_text = (dest / "csv" / "top_talkers.csv").read_text()
    assert csv_text.splitlines()[2].startswith("'=cmd")  # the formula is inert, as the to_csv filter makes it
    assert (dest / "summary.md").read_text() == "# Report of fleet\n- top_talkers: 2 rows\n- empty: 0 rows\n"
    assert json.loads((dest / "json" / "failures.json").read_text()) == []
    assert stat.S_IMODE(os.stat(dest / "summary.md").st_mode) == 0o644
    assert stat.S_IMODE(os.stat(dest / "csv").st_mode) == 0o755
    mtimes = {p: os.stat(p).st_mtime_ns for p in expected}

    second = write(sections)[0]
    result = second.result("Write the files")
    assert second.returncode == 0 and result["changed"] is False and result["written"] == []
    assert {p: os.stat(p).st_mtime_ns for p in expected} == mtimes


def test_check_mode_writes_nothing_and_diff_shows_before_and_after(write):
    write([{"id": "top_talkers", "rows": ROWS}])
    run, dest = write([{"id": "top_talkers", "rows": ROWS[:1]}], check=True, diff=True)
    result = run.result("Write the files")
    assert run.returncode == 0 and result["changed"] is True
    assert sorted(result["written"]) == sorted(str(dest / p) for p in (
        "csv/top_talkers.csv", "json/top_talkers.json", "summary.md"))
    assert json.loads((dest / "json" / "top_talkers.json").read_text()) == ROWS  # untouched
    diffs = {d["after_header"]: d for d in result["diff"]}
    summary = diffs[str(dest / "summary.md")]
    assert "2 rows" in summary["before"] and "1 rows" in summary["after"]
    assert "calc" in diffs[str(dest / "csv/top_talkers.csv")]["before"]


def test_a_new_directory_in_check_mode_stays_absent(write):
    run, dest = write([{"id": "a", "rows": ROWS}], check=True)
    assert run.returncode == 0 and run.result("Write the files")["changed"] is True
    assert not dest.exists()


def test_section_ids_become_safe_file_names_under_dest(write):
    run, dest = write([{"id": "../../escape", "rows": ROWS}])
    assert run.returncode == 0, run.stdout[-3000:]
    for path in run.result("Write the files")["files"]:
        assert os.path.realpath(path).startswith(str(dest) + os.sep)
    assert not (dest.parent.parent / "escape.csv").exists()


@pytest.mark.parametrize("sections,extra,message", [
    ([{"rows": []}], {}, "every section needs an id"),
    ("not a list", {}, "sections"),
])
def test_bad_arguments_fail_naming_them(write, sections, extra, message):
    run, dest = write(sections, **extra)
    assert run.returncode != 0
    assert message in run.result("Write the files")["msg"]
    assert not dest.exists()
