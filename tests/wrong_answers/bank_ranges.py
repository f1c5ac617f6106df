"""Wrong answers and right ones in unusual forms for check_between and check_less.

The typical exercises: a learning rate inside its stable window (0, 2/L), a loss below a
threshold after some steps of descent.
"""

import math

import numpy as np
import sympy
import torch
from case import right, wrong

from calclib.checking import check_between, check_less

DIVERGES = {"above 2/L = 0.1 the steps grow: gradient descent diverges": (0.1, None)}

CASES = [
    right("range: a float inside", check_between, 0.05, 0, 0.1),
    right("range: a numpy scalar", check_between, np.float32(0.09), 0, 0.1),
    right("range: a tensor", check_between, torch.tensor(0.09), 0, 0.1),
    right("range: a sympy fraction", check_between, sympy.Rational(1, 11), 0, 0.1),
    right("range: on the bound, inclusive", check_between, 0.1, 0, 0.1, inclusive=True),
    right("below: a loss that reached 0", check_less, 0.0, 1e-6),
    wrong(
        "range: a learning rate above 2/L",
        check_between,
        0.2,
        0,
        0.1,
        misconceptions=DIVERGES,
        message="gradient descent diverges",
    ),
    wrong("range: exactly on the open bound", check_between, 0.1, 0, 0.1, message="too large"),
    wrong("range: a negative rate", check_between, -0.05, 0, 0.1, message="a sign error"),
    wrong("range: too timid", check_between, 0.001, 0.07, 0.1, message="too small"),
    wrong(
        "range: hidden",
        check_between,
        0.2,
        0,
        0.1,
        hidden=True,
        message="(expected value not shown)",
    ),
    wrong("range: None", check_between, None, 0, 0.1, message="is None, not a value"),
    wrong("range: two numbers", check_between, [0.05, 0.06], 0, 0.1, message="one real number"),
    wrong("below: the loss blew up", check_less, math.inf, 1e-6, message="learning rate that is"),
    wrong("below: the loss is nan", check_less, math.nan, 1e-6, message="0/0 or inf - inf"),
    wrong("below: not small enough", check_less, 1e-3, 1e-6, message="value < 1e-06"),
]
