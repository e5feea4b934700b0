"""A fake SMS/Zalo/e-mail provider that survives the worker being killed: every call and
every message it accepted are rows in a SQLite file (LANGSO_BENCH_OUTBOX), read afterwards
by bench/faults/worker_killed.py. Like the real providers (eSMS RequestId, Zalo tracking_id)
it takes the message reference as an idempotency key: a request it has already sent is
answered with the first result and not sent again.

LANGSO_BENCH_SEND_SECONDS: the provider's response time (the gap in which a killed worker
has sent but not yet recorded "sent").
"""

import os
import sqlite3
import time

from langso.engage.channels import Message, SendResult

SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (reference TEXT, channel TEXT, address TEXT, at REAL);
CREATE TABLE IF NOT EXISTS sent (reference TEXT PRIMARY KEY, channel TEXT, address TEXT,
                                 at REAL);
"""


def connect(path: str | None = None) -> sqlite3.Connection:
    conn = sqlite3.connect(
        path or os.environ["LANGSO_BENCH_OUTBOX"], timeout=30, isolation_level=None
    )
    conn.executescript(SCHEMA)
    return conn


class DurableFakeGateway:
    channel = "fake"

    def send(self, *, address: str, message: Message) -> SendResult:
        conn = connect()
        try:
            now = time.time()
            conn.execute(
                "INSERT INTO calls VALUES (?, ?, ?, ?)",
                [message.reference, self.channel, address, now],
            )
            conn.execute(
                "INSERT OR IGNORE INTO sent VALUES (?, ?, ?, ?)",
                [message.reference, self.channel, address, now],
            )
        finally:
            conn.close()
        time.sleep(float(os.environ.get("LANGSO_BENCH_SEND_SECONDS", "0.02")))
        return SendResult(provider_message_id=f"durable-{message.reference}")
