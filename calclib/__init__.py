"""Calculus for ML helpers."""

from calclib.derivative import DerivativeResult, derivative
from calclib.dual import Dual, dual_derivative, jvp
from calclib.engine import Graph, GraphNode, Value, trace_graph
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
from calclib.nn import MLP, Layer, Neuron

__all__ = [
    # limits and derivatives (MATH); autograd engine, networks, forward mode (ENGINE)
    "MLP",
    "DerivativeResult",
    "Dual",
    "GradientReport",
    "Graph",
    "GraphNode",
    "Layer",
    "LimitTable",
    "Neuron",
    "Value",
    "backward_difference",
    "central_difference",
    "check_gradient",
    "complex_step",
    "derivative",
    "dual_derivative",
    "five_point_difference",
    "forward_difference",
    "gradient",
    "hessian",
    "jacobian",
    "jvp",
    "limit_table",
    "partial",
    "trace_graph",
]
