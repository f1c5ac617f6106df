"""Calculus for ML helpers."""

from calclib.derivative import DerivativeResult, derivative
from calclib.dual import Dual, dual_derivative, jvp
from calclib.engine import Value
from calclib.expectation import MonteCarloResult, expectation, monte_carlo
from calclib.finite_differences import (
    backward_difference,
    central_difference,
    complex_step,
    five_point_difference,
    forward_difference,
)
from calclib.gradient_check import GradientReport, gradient_report
from calclib.graph_walk import Graph, GraphNode, trace_graph
from calclib.integrals import IntegralResult, integrate, riemann_sum, simpson, trapezoid
from calclib.limits import LimitTable, limit_table
from calclib.multivariable import gradient, hessian, jacobian, partial
from calclib.nn import MLP, Layer, Neuron
from calclib.optimizers import Trajectory, adam, gradient_descent, momentum, stable_learning_rate

__all__ = [
    "MLP",
    # limits and derivatives (MATH); autograd engine, networks, forward mode, optimizers (ENGINE);
    # integrals and expectation (07)
    "DerivativeResult",
    "Dual",
    "GradientReport",
    "Graph",
    "GraphNode",
    "IntegralResult",
    "Layer",
    "LimitTable",
    "MonteCarloResult",
    "Neuron",
    "Trajectory",
    "Value",
    "adam",
    "backward_difference",
    "central_difference",
    "complex_step",
    "derivative",
    "dual_derivative",
    "expectation",
    "five_point_difference",
    "forward_difference",
    "gradient",
    "gradient_descent",
    "gradient_report",
    "hessian",
    "integrate",
    "jacobian",
    "jvp",
    "limit_table",
    "momentum",
    "monte_carlo",
    "partial",
    "riemann_sum",
    "simpson",
    "stable_learning_rate",
    "trace_graph",
    "trapezoid",
]
