"""moto's server with each API call handled whole before the next one starts.

AWS applies every API call atomically: of two CreateStack calls for one name, one creates the stack
and the other gets AlreadyExistsException. moto's threaded server does not: under load both calls
pass its name check, both store a stack, and the second fails half-way on a resource the first made,
leaving a stack that stays CREATE_IN_PROGRESS forever, a state AWS never shows. Serialising the
calls gives the tests AWS's per-call atomicity while runs still race between calls.

Usage: moto-atomic-server.py HOST PORT
"""
import os
import signal
import sys
import threading

from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


def one_call_at_a_time(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        with lock:
            # The body is produced inside the lock too: moto may build it lazily.
            return list(app(environ, start_response))

    return handle


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    # moto builds some URLs (queue URLs, presigned links) from it, as its own launcher sets it.
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    app.debug = True
    run_simple(
        host,
        port,
        one_call_at_a_time(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
