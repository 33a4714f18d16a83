"""The sensor `fail_abandoned_runs` (issue 13, item 4): a run left without its process is
failed and told while the service runs."""

import socket
import subprocess
import sys

import dagster as dg

from cle_pipeline.lib.abandoned_runs import HOST_TAG, PID_TAG


def test_the_sensor_fails_and_tells_each_run_left_without_its_process(definitions):
    instance = dg.DagsterInstance.ephemeral()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    job = dg.GraphDefinition(name="publish_datagouv").to_job()
    run = instance.create_run_for_job(
        job,
        tags={PID_TAG: str(gone.pid), HOST_TAG: socket.gethostname(), "commune": "76165"},
        status=dg.DagsterRunStatus.STARTED,
    )
    sensor = definitions.get_sensor_def("fail_abandoned_runs")
    with dg.build_sensor_context(instance=instance, resources=definitions.resources) as context:
        result = sensor(context)
    assert result.skip_message == (
        "marked failed: [cle-pipeline] 76165: run of publish_datagouv abandoned, marked failed"
    )
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
