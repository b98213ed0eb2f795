"""The local AWS for tests and the demo: the moto server plus a thin layer of our own.

Parts:
- ``server.LocalAws``: moto's WSGI app on 127.0.0.1 (a free port) in a thread, wrapped by
  ``recorder.CallRecorder`` (every API call, by account/region/service/operation) and
  ``faults.FaultInjector`` (throttling, 500s, latency, per operation and rate);
- ``patches``: handlers for calls moto lacks or gets wrong, each documented against AWS docs;
- ``__main__``: ``python -m local_aws`` starts it in the foreground for ``make demo`` and users.

Nothing here is shipped in the collection tarball (see galaxy.yml build_ignore).
"""
