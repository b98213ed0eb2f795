"""``python -m local_aws`` (installed editable in .venv by requirements-dev.txt): the local AWS in the foreground.

Prints the endpoint and the environment exports that point boto3, the modules and the lookup
at it; with --env-file writes them there too (``make demo`` sources that file). Stops on
Ctrl-C or SIGTERM.
"""

import argparse
import signal
import sys
import threading

from ._collection import install_collection_finder


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m local_aws", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = a free port")
    parser.add_argument("--seed", type=int, default=42, help="id seed, so ids repeat run to run")
    parser.add_argument("--env-file", help="also write the exports to this file")
    parser.add_argument("--query-running-seconds", type=float, default=None,
                        help="how long an Insights query stays Running before Complete")
    args = parser.parse_args(argv)

    install_collection_finder()
    from .server import LocalAws

    local_aws = LocalAws(host=args.host, port=args.port, seed=args.seed)
    if args.query_running_seconds is not None:
        local_aws.query_running_seconds = args.query_running_seconds
    local_aws.start()
    exports = "".join("export {0}={1}\n".format(k, v) for k, v in sorted(local_aws.env().items()))
    if args.env_file:
        with open(args.env_file, "w") as handle:
            handle.write(exports)
    sys.stdout.write("local AWS (moto) listening on {0}\n{1}".format(local_aws.endpoint_url, exports))
    sys.stdout.flush()

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    local_aws.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
