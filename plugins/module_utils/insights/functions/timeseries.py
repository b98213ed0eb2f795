# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time-series functions (CloudWatch Logs User Guide, "Time-series functions", CWL_QuerySyntax-timeseries-functions).

``count_over_time(f)`` counts the events of each time bin and ``sum_over_time(f)`` sums the field per bin,
used with ``stats ... by bin(interval)``: per group they are count(f) and sum(f), so they are registered as
those aggregates under their own names (in ``functions/__init__``). ``rate(f, interval)`` and
``histogram(f, buckets)`` are refused offline: the docs do not define the rate's window edges or the
buckets' bounds closely enough to give the service's numbers.
"""

UNSUPPORTED_FUNCTIONS = {
    "rate": "rate",
    "histogram": "histogram",
    "unmask": "unmask",
}
