"""Synthetic students for 02-derivatives: classic misconceptions, and right answers in odd forms."""

ASSIGNMENT = "02-derivatives"

# Answer cells replaced with a classic misconception (full cell source, as a student would type it).
MISCONCEPTION = {
    # The power rule lowering the exponent by two.
    "q1-power-rule-expression-answer": 'dcube = "3*x"',
    # The quotient rule's numerator written the wrong way round: f g' - f' g.
    "q3-quotient-rule-answer": 'dq = "(x**2 - 1) / (1 + x**2)**2"',
    # The exponential differentiated without its factor ln 3.
    "q4-exponential-slope-answer": "slope_3x = 3**2",
}
MISCONCEPTION_SCORE = 7.0  # 11 points in all; q1 (1), q3 (2) and q4 (1) are lost
MISCONCEPTION_FEEDBACK = [
    "the exponent went down by 2",
    "the two terms of the numerator are swapped",
    "the factor ln 3 is missing",
]

# Right answers in unusual forms: full marks.
UNUSUAL = {
    # A sympy expression built from the notebook's symbol x, as a product in another order.
    "q1-power-rule-expression-answer": "dcube = x * x * 3",
    # A lambda instead of a def.
    "q2-power-rule-function-answer": "dcube_at = lambda t: t * t * 3",
    # Unsimplified: the quotient rule written out term by term.
    "q3-quotient-rule-answer": 'dq = "(1*(1 + x**2) - x*(2*x)) / (1 + x**2)**2"',
    # A sympy number, with numpy's logarithm of the base e**(ln 3) written differently.
    "q4-exponential-slope-answer": "slope_3x = sp.Integer(9) * sp.log(3)",
    # A loop over the steps and a step read off with min().
    "q6-best-step-answer": (
        "hs = 10.0 ** -np.arange(1, 13)\n"
        "errors = []\n"
        "for step in hs:\n"
        "    errors.append(abs((math.sin(1 + step) - math.sin(1 - step)) / 2 / step - math.cos(1)))\n"
        "best_h = min(zip(errors, hs))[1]\n"
    ),
    # A boolean mask times 1.0, and the subdifferential as a list of floats.
    "q7-relu-subgradient-answer": (
        "relu_grad = lambda x: (np.asarray(x) > 0) * 1.0\nabs_subdifferential = [-1.0, 1.0]\n"
    ),
}
