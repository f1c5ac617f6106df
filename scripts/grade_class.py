"""Grade a whole class: the same as ``python -m grading`` (kept for older instructions).

Example::

    python scripts/grade_class.py --course ~/fall26 --no-sandbox
"""

from __future__ import annotations

import sys

from grading.cli import main

if __name__ == "__main__":
    sys.exit(main())
