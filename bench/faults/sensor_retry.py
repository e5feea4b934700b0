"""Fault: a sensor retries the same reading (lost acknowledgements, a flaky link), many
times and concurrently. Expected: the reading is stored once; every answer is 200, the
first "created", the others "duplicate".

    .venv/bin/python bench/faults/sensor_retry.py [--copies 40] [--port 8452]

Runs against the production stack (gunicorn, production settings) on `langso_load`.
"""

import argparse
import json
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime

import urllib3
from common import django_for, ensure_demo, env_for, load_mix, start_server, verdict


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--port", type=int, default=8452)
    args = parser.parse_args()
    env = env_for()
    django_for(env)
    ensure_demo(env)
    from langso.places.models import AdminUnit, Level, Structure
    from langso.society.actions.environment import create_station
    from langso.society.models.environment import Parameter, Reading, StationKind

    commune = AdminUnit.objects.get(structure=Structure.Y2025, level=Level.COMMUNE, code="05641")
    code = f"fault-{uuid.uuid4().hex[:8]}"
    station, token = create_station(
        actor=None,
        commune=commune,
        code=code,
        name="Trạm thử lỗi gửi lại",
        kind=StationKind.WATER_SUPPLY,
        latitude=21.7,
        longitude=105.8,
    )
    parameter = Parameter.objects.order_by("code").first()
    observed = datetime.now(UTC).replace(microsecond=0).isoformat()
    reading = {
        "id": f"r-{uuid.uuid4().hex[:8]}",
        "parameter": parameter.code,
        "observed_at": observed,
        "value": 7.2,
    }
    # the same instant sent again without the sensor's id (a simpler sensor)
    no_id = dict(reading, id="")

    server = start_server(env, args.port, log="sensor")
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.copies)

    def post(body):
        http = urllib3.PoolManager(retries=False)
        barrier.wait()
        r = http.request(
            "POST",
            f"http://127.0.0.1:{args.port}/api/society/stations/{code}/readings",
            body=json.dumps({"readings": [body]}),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        status = json.loads(r.data)["results"][0]["status"] if r.status == 200 else "-"
        with lock:
            answers.append((r.status, status))

    try:
        threads = [
            threading.Thread(target=post, args=(reading if i % 2 else no_id,))
            for i in range(args.copies)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        load_mix.stop(server)
    stored = Reading.objects.filter(station=station).count()
    tally = Counter(f"{s} {a}" for s, a in answers)
    created = tally.get("200 created", 0)
    print(
        f"{args.copies} concurrent posts of one reading (half with the sensor's id, half "
        f"without): answers {dict(tally)}"
    )
    print(f"rows stored for the station: {stored} (expected 1); 'created' answers: {created}")
    verdict(stored == 1 and created == 1 and all(s == 200 for s, _a in answers))


if __name__ == "__main__":
    main()
