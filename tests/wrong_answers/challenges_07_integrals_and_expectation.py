"""Wrong answers students give in 07-integrals-and-expectation, and right ones in odd forms."""

from challenge_runner import Attempt

ASSIGNMENT = "07-integrals-and-expectation"
STUB = "# YOUR CODE HERE\npass"

ATTEMPTS = [
    # q1: the left Riemann sum of x**2 on [0, 1] with 4 slices
    Attempt("q1 stub", "q1-left-sum", STUB, "Not answered"),
    Attempt("q1 the right sum", "q1-left-sum", "left_sum_4 = 15 / 32", "that is the right sum"),
    Attempt("q1 the midpoint sum", "q1-left-sum", "left_sum_4 = 21 / 64", "the midpoint sum"),
    Attempt("q1 the exact area", "q1-left-sum", "left_sum_4 = 1 / 3", "the exact area 1/3"),
    Attempt(
        "q1 no width", "q1-left-sum", "left_sum_4 = 0 + 1 / 16 + 1 / 4 + 9 / 16", "the width 1/4"
    ),
    Attempt("q1 rounded", "q1-left-sum", "left_sum_4 = 0.219", "left_sum_4"),
    Attempt(
        "q1 right as a Fraction",
        "q1-left-sum",
        "from fractions import Fraction\nleft_sum_4 = Fraction(7, 32)",
    ),
    Attempt("q1 right as sympy", "q1-left-sum", "left_sum_4 = sp.Rational(7, 32)"),
    Attempt(
        "q1 right with a loop",
        "q1-left-sum",
        "left_sum_4 = 0\nfor i in range(4):\n    left_sum_4 += (i / 4) ** 2 / 4",
    ),
    # q2: the integral of x**2 - 2x + 3 over [1, 3]
    Attempt("q2 stub", "q2-exact-area", STUB, "Not answered"),
    Attempt("q2 f(3) - f(1)", "q2-exact-area", "area_q2 = 6 - 2", "that is f(3) - f(1)"),
    Attempt(
        "q2 x**3 not divided by 3",
        "q2-exact-area",
        "area_q2 = (27 - 9 + 9) - (1 - 1 + 3)",
        "divides by the new exponent",
    ),
    Attempt("q2 F(1) - F(3)", "q2-exact-area", "area_q2 = -20 / 3", "a sign error"),
    Attempt("q2 the constant lost", "q2-exact-area", "area_q2 = 20 / 3 - 6", "integrates to 3x"),
    Attempt("q2 right as a float", "q2-exact-area", "area_q2 = 20 / 3"),
    Attempt(
        "q2 a rounded decimal", "q2-exact-area", "area_q2 = 6.666666667", "close, but not exact"
    ),
    Attempt(
        "q2 right from sympy", "q2-exact-area", "area_q2 = sp.integrate(x**2 - 2*x + 3, (x, 1, 3))"
    ),
    # q3: fitted orders of the trapezoid and Simpson rules
    Attempt("q3 stub", "q3-orders", STUB, "Not answered"),
    Attempt(
        "q3 error ratios instead of orders",
        "q3-orders",
        "trapezoid_order = trapezoid_errors[0] / trapezoid_errors[1]\n"
        "simpson_order = simpson_errors[0] / simpson_errors[1]",
        "the factor the error shrinks by when n doubles",
    ),
    Attempt(
        "q3 slope against log n",
        "q3-orders",
        "trapezoid_order = np.polyfit(np.log(order_ns), np.log(trapezoid_errors), 1)[0]\n"
        "simpson_order = np.polyfit(np.log(order_ns), np.log(simpson_errors), 1)[0]",
        "a sign error",
    ),
    Attempt(
        "q3 mixed logarithms",
        "q3-orders",
        "trapezoid_order = np.polyfit(np.log10(1 / np.array(order_ns)), np.log(trapezoid_errors), 1)[0]"
        "\nsimpson_order = 4.0",
        "use one logarithm for both",
    ),
    Attempt(
        "q3 trapezoid's order for both",
        "q3-orders",
        "trapezoid_order = np.polyfit(np.log(1 / np.array(order_ns)), np.log(trapezoid_errors), 1)[0]"
        "\nsimpson_order = trapezoid_order",
        "that is the order of the trapezoid rule",
    ),
    Attempt(
        "q3 right, rounded to whole numbers", "q3-orders", "trapezoid_order = 2\nsimpson_order = 4"
    ),
    Attempt(
        "q3 orders off by one",
        "q3-orders",
        "trapezoid_order = 1\nsimpson_order = 3",
        "trapezoid_order",
    ),
    Attempt(
        "q3 right in log10 with fresh errors",
        "q3-orders",
        "dx = 1 / np.array([8, 16, 32, 64])\n"
        "trap = [abs(trapezoid(np.exp, 0, 1, n) - (np.e - 1)) for n in (8, 16, 32, 64)]\n"
        "simp = [abs(simpson(np.exp, 0, 1, n) - (np.e - 1)) for n in (8, 16, 32, 64)]\n"
        "trapezoid_order = np.polyfit(np.log10(dx), np.log10(trap), 1)[0]\n"
        "simpson_order = np.polyfit(np.log10(dx), np.log10(simp), 1)[0]",
    ),
    # q4: the smallest even n with Simpson's error below 1e-10
    Attempt("q4 stub", "q4-simpson-n", STUB, "Not answered"),
    Attempt("q4 one step early", "q4-simpson-n", "simpson_n = 98", "which must be below 1e-10"),
    Attempt("q4 odd n", "q4-simpson-n", "simpson_n = 99", "needs an even n"),
    Attempt("q4 the trapezoid's n", "q4-simpson-n", "simpson_n = 37900", "a smaller n will do"),
    Attempt(
        "q4 right with a for loop",
        "q4-simpson-n",
        "for simpson_n in range(2, 1000, 2):\n"
        "    if abs(simpson(np.exp, 0.0, 1.0, simpson_n) - (math.e - 1)) < 1e-10:\n"
        "        break",
    ),
    # q5: E[X**3] for X uniform on [0, 3]
    Attempt("q5 stub", "q5-expectation", STUB, "Not answered"),
    Attempt("q5 no density", "q5-expectation", "expected_cube = 81 / 4", "density p(x) = 1/3"),
    Attempt("q5 cube of the mean", "q5-expectation", "expected_cube = 1.5**3", "cube of the mean"),
    Attempt("q5 not divided by 4", "q5-expectation", "expected_cube = 27", "x**4 / 4"),
    Attempt(
        "q5 a Monte Carlo estimate",
        "q5-expectation",
        "expected_cube = np.mean(np.random.default_rng(0).uniform(0, 3, 10_000) ** 3)",
        "expected_cube",
    ),
    Attempt(
        "q5 right from sympy", "q5-expectation", "expected_cube = sp.integrate(x**3 / 3, (x, 0, 3))"
    ),
    Attempt("q5 right as a float", "q5-expectation", "expected_cube = 3**4 / 12"),
    Attempt(
        "q5 a Monte Carlo value that is close",
        "q5-expectation",
        "expected_cube = 6.7501",
        "close, but not exact",
    ),
    # q6: samples for a ten times smaller standard error
    Attempt("q6 stub", "q6-samples-needed", STUB, "Not answered"),
    Attempt("q6 linear", "q6-samples-needed", "samples_needed = 4000", "not like 1/N"),
    Attempt(
        "q6 only the extra samples", "q6-samples-needed", "samples_needed = 39600", "how many MORE"
    ),
    Attempt("q6 sqrt(10) times", "q6-samples-needed", "samples_needed = 1265", "samples_needed"),
    Attempt("q6 right as an int", "q6-samples-needed", "samples_needed = 40_000"),
    Attempt("q6 right as numpy", "q6-samples-needed", "samples_needed = np.int64(400) * 100"),
    # q7: the mini-batch gradient of the mean squared loss
    Attempt(
        "q7 stub",
        "q7-minibatch-gradient",
        "def minibatch_gradient(w, x_batch, y_batch):\n    # YOUR CODE HERE\n    pass",
        "Not answered",
    ),
    Attempt(
        "q7 sum instead of mean",
        "q7-minibatch-gradient",
        "def minibatch_gradient(w, x_batch, y_batch):\n"
        "    return np.sum(2 * (w * x_batch - y_batch) * x_batch)",
        "that is the sum over the batch",
    ),
    Attempt(
        "q7 no factor 2",
        "q7-minibatch-gradient",
        "def minibatch_gradient(w, x_batch, y_batch):\n"
        "    return np.mean((w * x_batch - y_batch) * x_batch)",
        "the factor 2 from the square is missing",
    ),
    Attempt(
        "q7 no inner derivative",
        "q7-minibatch-gradient",
        "def minibatch_gradient(w, x_batch, y_batch):\n    return np.mean(2 * (w * x_batch - y_batch))",
        "the inner derivative x is missing",
    ),
    Attempt(
        "q7 the loss",
        "q7-minibatch-gradient",
        "def minibatch_gradient(w, x_batch, y_batch):\n    return np.mean((w * x_batch - y_batch) ** 2)",
        "the mean loss itself",
    ),
    Attempt(
        "q7 right with a loop",
        "q7-minibatch-gradient",
        "def minibatch_gradient(w, x_batch, y_batch):\n"
        "    total = 0.0\n"
        "    for xj, yj in zip(x_batch, y_batch):\n"
        "        total += 2 * (w * xj - yj) * xj\n"
        "    return total / len(x_batch)",
    ),
    Attempt(
        "q7 right with a dot product",
        "q7-minibatch-gradient",
        "minibatch_gradient = lambda w, xb, yb: 2 * np.dot(w * xb - yb, xb) / len(xb)",
    ),
    # q8: the reparameterisation gradient of E[X**2], X ~ N(mu, 1)
    Attempt(
        "q8 stub",
        "q8-reparam-gradient",
        "def reparam_gradient(mu, eps):\n    # YOUR CODE HERE\n    pass",
        "Not answered",
    ),
    Attempt(
        "q8 score function",
        "q8-reparam-gradient",
        "def reparam_gradient(mu, eps):\n    return np.mean((mu + eps) ** 2 * eps)",
        "score-function estimate",
    ),
    Attempt(
        "q8 the expectation",
        "q8-reparam-gradient",
        "def reparam_gradient(mu, eps):\n    return np.mean((mu + eps) ** 2)",
        "the expectation, not its gradient",
    ),
    Attempt(
        "q8 mu missing",
        "q8-reparam-gradient",
        "def reparam_gradient(mu, eps):\n    return np.mean(2 * eps)",
        "mu is missing",
    ),
    Attempt(
        "q8 the exact gradient",
        "q8-reparam-gradient",
        "def reparam_gradient(mu, eps):\n    return 2 * mu",
        "that is the exact gradient 2 mu",
    ),
    Attempt(
        "q8 right, rearranged",
        "q8-reparam-gradient",
        "def reparam_gradient(mu, eps):\n    return 2 * mu + 2 * float(np.mean(eps))",
    ),
    Attempt(
        "q8 right with a loop",
        "q8-reparam-gradient",
        "def reparam_gradient(mu, eps):\n"
        "    slopes = [2 * (mu + e) for e in eps]\n"
        "    return sum(slopes) / len(slopes)",
    ),
]
