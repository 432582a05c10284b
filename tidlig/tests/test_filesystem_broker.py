"""The embedded broker: a worker polling while beat writes a message never reads half of it."""

import builtins
from pathlib import Path
from queue import Empty

from kombu import Connection
from kombu.transport.virtual import BrokerState

from tidlig.lib.filesystem_broker import Transport


def _connection(queue: Path) -> Connection:
    folders = {"data_folder_in": str(queue), "data_folder_out": str(queue)}
    return Connection(
        transport=Transport, transport_options={**folders, "control_folder": str(queue.parent)}
    )


def test_a_worker_polling_halfway_through_a_write_finds_no_message_then_the_whole_one(
    tmp_path, monkeypatch
):
    queue = tmp_path / "queue"
    queue.mkdir()
    # kombu remembers the queues bound in this process and would not bind them again
    # in this test's folder, after another test's (tests/test_db_restart.py).
    monkeypatch.setattr(Transport, "global_state", BrokerState())
    beat = _connection(queue).SimpleQueue("celery")
    worker = _connection(queue).SimpleQueue("celery")
    message = {"task": "tidlig.tasks.heartbeat", "padding": "x" * 10_000}
    polled_halfway = []

    def poll() -> object:
        try:
            received = worker.get_nowait()
        except Empty:
            return None
        received.ack()
        return received.payload

    class HalfWritten:
        """A file in the queue folder that lets the worker poll halfway through a write."""

        def __init__(self, file):
            self._file = file

        def write(self, data: bytes) -> int:
            half = len(data) // 2
            self._file.write(data[:half])
            self._file.flush()
            polled_halfway.append(poll())
            return half + self._file.write(data[half:])

        def __getattr__(self, name: str):
            return getattr(self._file, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc_info) -> None:
            self._file.close()

    real_open = builtins.open

    def open_(file, mode="r", *args, **kwargs):
        opened = real_open(file, mode, *args, **kwargs)
        if "w" in mode and Path(file).parent == queue and not polled_halfway:
            return HalfWritten(opened)
        return opened

    with monkeypatch.context() as m:
        m.setattr(builtins, "open", open_)
        beat.put(message)

    assert polled_halfway == [None], "the worker polled while the message was half written"
    assert poll() == message
    assert not list(queue.iterdir())
    beat.close()
    worker.close()
