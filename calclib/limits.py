"""Limit tables: watch g(x0 - h) and g(x0 + h) as h shrinks, and read off what they approach.

Introduced in 01-limits.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from calclib.finite_differences import as_point, require_callable


@dataclass(frozen=True)
class LimitRow:
    """One row of a limit table: the step h and g on either side of x0."""

    h: float
    left: float
    right: float


@dataclass(frozen=True)
class LimitTable:
    """Values of g(x0 - h) and g(x0 + h) for h = 10^-1, ..., 10^-k, with a verdict.

    A side *settles* at the first pair of consecutive rows that agree to ``rtol``
    (relative, with an absolute floor of 1 near zero); its estimate is the later value,
    rounded to the digits that ``rtol`` trusts.
    Taking the first such pair, not the last, ignores the rounding noise that takes over
    when h gets close to machine epsilon.

    Attributes
    ----------
    rows : tuple of LimitRow
        One row per step, largest h first.
    left, right : float
        What each side settles to, or nan if it does not settle within the table.
    limit : float
        The common value when both sides settle and agree (to ``rtol``), otherwise nan.
    sides_agree : bool
        True when both sides settle to the same value.
    """

    x0: float
    rows: tuple[LimitRow, ...]
    rtol: float

    @property
    def left(self) -> float:
        return _describe([row.left for row in self.rows], self.rtol)[0]

    @property
    def right(self) -> float:
        return _describe([row.right for row in self.rows], self.rtol)[0]

    @property
    def sides_agree(self) -> bool:
        return math.isclose(self.left, self.right, rel_tol=self.rtol, abs_tol=self.rtol)

    @property
    def limit(self) -> float:
        return (self.left + self.right) / 2 if self.sides_agree else math.nan

    @property
    def verdict(self) -> str:
        """One sentence saying what the table shows."""
        if self.sides_agree:
            return f"both sides approach {self.limit:.15g}: the limit is about {self.limit:.15g}"
        left = _describe([row.left for row in self.rows], self.rtol)[1]
        right = _describe([row.right for row in self.rows], self.rtol)[1]
        return f"the left side {left} and the right side {right}: no limit is visible"

    def __repr__(self) -> str:
        lines = [f"{'h':>7}  {'g(x0 - h)':>20}  {'g(x0 + h)':>20}"]
        lines += [f"{row.h:>7.0e}  {row.left:>20.14g}  {row.right:>20.14g}" for row in self.rows]
        lines.append(f"x0 = {self.x0:g}: {self.verdict}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        cells = "".join(
            f"<tr><td>{row.h:.0e}</td><td>{row.left:.14g}</td><td>{row.right:.14g}</td></tr>"
            for row in self.rows
        )
        return (
            "<table><thead><tr><th>h</th><th>g(x0 - h)</th><th>g(x0 + h)</th></tr></thead>"
            f"<tbody>{cells}</tbody></table>"
            f"<p>x0 = {self.x0:g}: {html.escape(self.verdict)}</p>"
        )


def limit_table(
    g: Callable[[float], Any], x0: float = 0.0, k: int = 8, rtol: float = 1e-6
) -> LimitTable:
    """Tabulate g(x0 - h) and g(x0 + h) for h = 10^-1, 10^-2, ..., 10^-k.

    lim_{x -> x0} g(x) = L means g(x0 +- h) gets as close to L as we like for small h;
    the table shows it happening (or not), side by side.

    Parameters
    ----------
    g : callable
        Function of one real number. Where it is undefined (it raises ZeroDivisionError or
        a math domain error, overflows, or returns a complex number) the table shows nan.
    x0 : float
        The point approached.
    k : int
        Number of rows, 1 <= k <= 20.
    rtol : float
        How closely consecutive rows must agree for a side to count as settled.

    Returns
    -------
    LimitTable
        ``.rows``, ``.left``, ``.right``, ``.limit``, ``.sides_agree``, ``.verdict``; prints
        as a plain-text table and renders as HTML in Jupyter.

    Examples
    --------
    >>> table = limit_table(lambda h: ((1 + h) ** 2 - 1) / h, x0=0.0, k=8)
    >>> table.rows[0]
    LimitRow(h=0.1, left=1.9, right=2.1)
    >>> round(table.limit, 6)
    2.0
    >>> limit_table(lambda x: abs(x) / x, 0.0).sides_agree
    False

    Introduced in 01-limits.
    """
    g = require_callable(g, "g")
    point = as_point(x0, "x0")
    if not isinstance(point, float):
        raise TypeError(f"x0 must be a single number, got an array of shape {np.shape(x0)}")
    if not (isinstance(k, (int, np.integer)) and 1 <= k <= 20):
        raise ValueError(f"k (the number of rows) must be an integer from 1 to 20, got {k!r}")
    if not (isinstance(rtol, (int, float)) and rtol > 0):
        raise ValueError(f"rtol must be a positive number, got {rtol!r}")
    rows = []
    for power in range(1, k + 1):
        h = 10.0**-power
        rows.append(LimitRow(h, _value(g, point - h), _value(g, point + h)))
    return LimitTable(point, tuple(rows), float(rtol))


def _value(g: Callable[[float], Any], x: float) -> float:
    """g(x) as a float; nan where g is undefined (raises an arithmetic error or a domain error)."""
    try:
        with np.errstate(all="ignore"):
            y = g(x)
    except (ArithmeticError, ValueError):
        return math.nan
    value = np.asarray(y)
    if value.shape == () and value.dtype.kind == "c":  # (-0.1) ** 0.5 is not a real number
        return math.nan
    if value.shape != () or value.dtype.kind not in "biuf":
        raise TypeError(f"g must return a single real number, got {y!r} from g({x!r})")
    return float(value)


def _describe(values: list[float], rtol: float) -> tuple[float, str]:
    """What one side of the table does: (the value it settles to or nan, a phrase)."""
    for earlier, later in itertools.pairwise(values):
        if abs(later - earlier) <= rtol * max(1.0, abs(later)):
            digits = max(0, -math.floor(math.log10(rtol * max(1.0, abs(later)))))
            estimate = round(later, digits) + 0.0  # + 0.0 turns -0.0 into 0.0
            return estimate, f"approaches {estimate:.15g}"
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return math.nan, "is undefined"
    sizes = [abs(v) for v in finite]
    growing = all(a < b for a, b in itertools.pairwise(sizes))
    if len(finite) >= 3 and growing and sizes[-1] >= 1e3 * sizes[0]:
        return math.nan, "grows without bound" if finite[-1] > 0 else "falls without bound"
    return math.nan, "does not settle"
