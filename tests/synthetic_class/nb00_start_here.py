"""Synthetic students for 00-start-here: the arange slip, and lists instead of arrays."""

ASSIGNMENT = "00-start-here"

# Answer cells replaced with a classic misconception (full cell source, as a student would type it).
MISCONCEPTION = {
    # np.arange stops before the end: 10 points, 1 missing.
    "q1-numpy-practice-answer": "xs = np.arange(0, 1, 0.1)\nsquares = xs**2",
}
MISCONCEPTION_SCORE = 0.0  # the only challenge (1 point) is lost
MISCONCEPTION_FEEDBACK = ["xs has the wrong shape"]

# Right answers in unusual forms: full marks.
UNUSUAL = {
    # Python lists built with comprehensions instead of numpy arrays.
    "q1-numpy-practice-answer": "xs = [k / 10 for k in range(11)]\nsquares = [v * v for v in xs]",
}
