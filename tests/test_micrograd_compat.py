"""calclib keeps micrograd's API: micrograd's own tests and its demo training run on both engines.

micrograd's ``test/test_engine.py`` ships only in its source archive, which ``make`` keeps in
``.venv/sdists/``. The file is run as it is, once with ``micrograd.engine`` and once with
``calclib.engine`` standing in for it. The demo is micrograd's: an MLP(2, [16, 16, 1]) with
``random.seed(1337)`` learns two interleaved half-moons with a max-margin loss, L2 penalty
1e-4 and a learning rate falling from 1.0 to 0.1 over 100 steps; the test runs its first 20
steps (micrograd alone needs about 10 CPU-seconds for all 100).
"""

from __future__ import annotations

import gc
import importlib.util
import math
import random
import sys
import tarfile
from pathlib import Path

import micrograd.engine
import micrograd.nn
import numpy as np
import pytest

import calclib.engine
import calclib.nn

SDIST = Path(sys.prefix) / "sdists" / "micrograd-0.1.0.tar.gz"
ENGINES = {"micrograd": (micrograd.engine, micrograd.nn), "calclib": (calclib.engine, calclib.nn)}


def micrograd_test_file(folder: Path) -> Path:
    """micrograd's test/test_engine.py, unpacked from its source archive into ``folder``."""
    if not SDIST.is_file():
        pytest.fail(f"{SDIST} is missing: run `make test` (its set-up step downloads it)")
    with tarfile.open(SDIST) as archive:
        member = archive.extractfile("micrograd-0.1.0/test/test_engine.py")
        assert member is not None
        path = folder / "micrograd_test_engine.py"
        path.write_bytes(member.read())
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_micrograds_own_engine_tests_pass_unchanged(engine: str, monkeypatch, tmp_path) -> None:
    module, _ = ENGINES[engine]
    monkeypatch.setitem(sys.modules, "micrograd.engine", module)
    spec = importlib.util.spec_from_file_location(
        "micrograd_test_engine", micrograd_test_file(tmp_path)
    )
    assert spec is not None and spec.loader is not None
    tests = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tests)
    names = [name for name in vars(tests) if name.startswith("test_")]
    assert names == ["test_sanity_check", "test_more_ops"]
    for name in names:
        getattr(tests, name)()
    assert tests.Value is module.Value


def half_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles, labels -1 and +1 (scikit-learn's make_moons, re-derived)."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, math.pi, n // 2)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    xs = np.vstack([upper, lower]) + rng.normal(scale=noise, size=(n, 2))
    return xs, np.repeat([-1.0, 1.0], n // 2)


def train_demo(engine: str, steps: int = 20) -> list[float]:
    """The first ``steps`` of micrograd's demo training on ``engine``; the loss at each step."""
    module, nn = ENGINES[engine]
    random.seed(1337)
    model = nn.MLP(2, [16, 16, 1])
    xs, ys = half_moons()
    losses = []
    for k in range(steps):
        inputs = [list(map(module.Value, row)) for row in xs.tolist()]
        scores = list(map(model, inputs))
        margins = [(1 + -yi * score).relu() for yi, score in zip(ys.tolist(), scores)]
        data_loss = sum(margins) * (1.0 / len(margins))
        loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses


@pytest.mark.slow
def test_micrograds_demo_training_ends_at_the_same_loss_on_both_engines() -> None:
    gc.collect()
    gc.disable()  # micrograd's graphs are reference cycles: collecting them dominates otherwise
    try:
        losses = {engine: train_demo(engine) for engine in ENGINES}
    finally:
        gc.enable()
        gc.collect()
    np.testing.assert_allclose(losses["calclib"], losses["micrograd"], rtol=1e-12, atol=1e-14)
    assert losses["calclib"][-1] < 0.3 * losses["calclib"][0]  # it is learning the moons
