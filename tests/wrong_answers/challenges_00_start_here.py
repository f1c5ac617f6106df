"""Wrong answers students give in 00-start-here's practice, and right ones in odd forms."""

from challenge_runner import Attempt

ASSIGNMENT = "00-start-here"

ATTEMPTS = [
    Attempt("q1 stub", "q1-numpy-practice", "# YOUR CODE HERE\npass", "Not answered"),
    Attempt(
        "q1 arange stops before 1",
        "q1-numpy-practice",
        "xs = np.arange(0, 1, 0.1)\nsquares = xs**2",
        "xs has the wrong shape",
    ),
    Attempt(
        "q1 linspace with 10 points",
        "q1-numpy-practice",
        "xs = np.linspace(0, 1, 10)\nsquares = xs**2",
        "xs has the wrong shape",
    ),
    Attempt(
        "q1 doubled",
        "q1-numpy-practice",
        "xs = np.linspace(0, 1, 11)\nsquares = xs * 2",
        "each point was doubled",
    ),
    Attempt(
        "q1 square roots",
        "q1-numpy-practice",
        "xs = np.linspace(0, 1, 11)\nsquares = np.sqrt(xs)",
        "those are square roots",
    ),
    Attempt(
        "q1 the squares for xs",
        "q1-numpy-practice",
        "xs = np.linspace(0, 1, 11) ** 2\nsquares = xs",
        "xs is the grid itself",
    ),
    Attempt(
        "q1 right with lists",
        "q1-numpy-practice",
        "xs = [k / 10 for k in range(11)]\nsquares = [v * v for v in xs]",
    ),
    Attempt(
        "q1 right with arange and a safe end",
        "q1-numpy-practice",
        "xs = np.arange(11) / 10\nsquares = np.square(xs)",
    ),
]
