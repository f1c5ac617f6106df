"""Calculus for ML helpers."""

from calclib.derivative import DerivativeResult, derivative
from calclib.finite_differences import (
    backward_difference,
    central_difference,
    complex_step,
    five_point_difference,
    forward_difference,
)
from calclib.gradient_check import GradientReport, check_gradient
from calclib.limits import LimitTable, limit_table
from calclib.multivariable import gradient, hessian, jacobian, partial

__all__ = [
    # limits and derivatives (MATH)
    "DerivativeResult",
    "GradientReport",
    "LimitTable",
    "backward_difference",
    "central_difference",
    "check_gradient",
    "complex_step",
    "derivative",
    "five_point_difference",
    "forward_difference",
    "gradient",
    "hessian",
    "jacobian",
    "limit_table",
    "partial",
]
