"""``python -m grading``: see grading/cli.py.

Once the run is over and every clean-up registered with :mod:`atexit` has run (kernel folders,
the warm kernel factory, logging), the process leaves with ``os._exit``: what the interpreter
would still do is free, one by one, the objects of the libraries it imported (nbgrader, sympy,
matplotlib, Dask), about a second of nobody's time. A thread still running keeps the ordinary way
out, which waits for it.
"""

import atexit
import os
import sys
import threading

from grading.cli import main

if __name__ == "__main__":
    code = main()
    if any(
        t.is_alive() and not t.daemon
        for t in threading.enumerate()
        if t is not threading.main_thread()
    ):
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
