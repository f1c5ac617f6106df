"""The judge's channel to a kernel: ready only once the kernel can reach it on every socket.

The agent's first message to the judge is an ``input_request`` on the stdin channel, which the
kernel's ROUTER socket drops for a peer whose connection it has not seen yet: under load the
judge then waited out a whole cell's time limit ("the student's code did not answer in time").
"""

from __future__ import annotations

import pytest
from jupyter_client import KernelManager

from grading.judge import KernelChannel


@pytest.fixture(scope="module")
def kernel():
    km = KernelManager()
    km.start_kernel()
    yield km
    km.shutdown_kernel(now=True)


def test_ready_waits_for_the_stdin_handshake_then_the_agent_answers(kernel):
    for _ in range(5):  # a new client each time, as each judged submission has
        channel = KernelChannel(kernel.get_connection_info(), kernel.is_alive)
        try:
            channel.ready(timeout=30)
            assert channel.client.stdin_connected(0.0)
            assert channel.client._stdin_monitor is None  # watched only until connected
            channel.open(timeout=10)
            channel.finish()
            assert channel.finished
        finally:
            channel.close()


def test_a_client_whose_stdin_never_connects_is_not_ready():
    km = KernelManager()
    km.start_kernel()
    try:
        info = km.get_connection_info()
        info["stdin_port"] = info["stdin_port"] + 7  # no kernel socket there
        channel = KernelChannel(info, km.is_alive)
        with pytest.raises(RuntimeError, match="stdin channel did not connect"):
            channel.ready(timeout=3)
        channel.close()
    finally:
        km.shutdown_kernel(now=True)
