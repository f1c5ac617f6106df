"""The pictures and widgets of the lessons: matplotlib figures that show the maths, and
ipywidgets that redraw them as a control moves.

One module per lesson topic; each ``draw_*(fig, ...)`` draws a picture and returns the numbers it
shows, :func:`~calclib.pictures.plotting.static_plot` makes it a still figure, and a ``*_widget``
redraws it live:

- :mod:`~calclib.pictures.plotting` — formulas in, still figures out (``static_plot``);
- :mod:`~calclib.pictures.figure_image` — a figure as PNG bytes; the picture-and-controls box;
- :mod:`~calclib.pictures.one_variable` — secants, tangents, error against h (01, 02);
- :mod:`~calclib.pictures.two_variables` — contours, gradients, critical points (03);
- :mod:`~calclib.pictures.graphs` — computational graphs, the backward pass step by step (04, 06);
- :mod:`~calclib.pictures.descent` — gradient descent paths, losses, learning rates (05);
- :mod:`~calclib.pictures.integrals` — Riemann sums, integration error, Monte Carlo (07).

Nothing is imported here: a lesson imports the module it shows, and pays only for what that
module needs (matplotlib always; sympy and ipywidgets where the pictures use them).

Introduced in 01-limits.
"""
