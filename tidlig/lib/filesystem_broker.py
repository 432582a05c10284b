"""Celery's filesystem broker (the embedded default) with messages that appear whole.

kombu's filesystem transport creates a message file in the queue folder and then
writes it. Its lock is advisory and the reading side never takes it, so a worker
polling in between moves away and reads an empty or half-written file and dies with
a JSONDecodeError (seen in CI, with beat sending the heartbeat). Here the message is
written under a name no reader takes and then renamed into place: a rename within
one folder is atomic, so a reader finds the whole message or none.

Used through settings.CELERY_BROKER_TRANSPORT when CELERY_BROKER_URL is "filesystem://".
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):  # type: ignore[override]
        # kombu's name, so that readers keep taking messages in the order they were sent.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        # A reader takes "<id>.<queue>.msg" only: the leading dot hides this name.
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as f:
                f.write(dumps(payload).encode())
            os.replace(partial, path)
        except OSError as exc:
            if os.path.exists(partial):
                os.remove(partial)
            raise ChannelError(f"Cannot add file {path!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
