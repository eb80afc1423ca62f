"""Vertex AI custom training jobs answered over gRPC, each worker run for real as a local container.

google-cloud-pipeline-components' launcher talks gRPC over TLS to ``<region>-aiplatform.googleapis.com``
and takes no endpoint setting. gRPC clients honour ``grpc_proxy`` (an HTTP CONNECT proxy), so
the launcher's container gets ``grpc_proxy`` pointing at :class:`ConnectProxy` on 127.0.0.1, which
tunnels only ``*-aiplatform.googleapis.com:443`` to this module's gRPC server, also on 127.0.0.1,
whose certificate is issued for those names by a throwaway CA that the container trusts
(``GRPC_DEFAULT_SSL_ROOTS_FILE_PATH``). Nothing leaves the machine.

``CreateCustomJob`` starts the job's worker pool container (``docker run`` on the host network,
the pipeline root mounted at its own path, the test's environment) and reports
``JOB_STATE_RUNNING`` until the container exits, then ``SUCCEEDED`` or ``FAILED`` with its exit
status and the end of its log. Unlike Vertex AI, ``GetCustomJob`` holds its answer while the job
runs (up to :data:`LONG_POLL_S`): the launcher polls every 20 seconds, and a test's jobs take
a few, so it sees the end at its first poll instead of 20 seconds later.
"""

from __future__ import annotations

import datetime
import itertools
import select
import socket
import socketserver
import threading
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from google.cloud.aiplatform_v1.types import custom_job as gca_custom_job
from google.cloud.aiplatform_v1.types import job_service, job_state
from google.protobuf import empty_pb2
from google.rpc import code_pb2, status_pb2

SERVICE = "google.cloud.aiplatform.v1.JobService"
#: The hosts the proxy tunnels to the fake; everything else is refused.
HOST_SUFFIX = "-aiplatform.googleapis.com:443"
#: The longest ``GetCustomJob`` waits for a running job to end before answering with its state.
LONG_POLL_S = 300
_ENDED = (job_state.JobState.JOB_STATE_SUCCEEDED, job_state.JobState.JOB_STATE_FAILED)


def _certificates(directory: Path) -> tuple[bytes, bytes, Path]:
    """A CA (written to ``directory/ca.pem``) and a server key and certificate for ``*.googleapis.com``."""

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("unity-mlops test CA"))
        .issuer_name(name("unity-mlops test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name("aiplatform.googleapis.com"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("*.googleapis.com")]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM), ca_file


class FakeJobService:
    """CustomJobs by name; each one's first worker pool runs as a container."""

    def __init__(self, mount: Path, environment: dict[str, str]) -> None:
        self.mount = mount
        self.environment = environment
        self.jobs: dict[str, gca_custom_job.CustomJob] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Condition()

    def create_custom_job(self, request: job_service.CreateCustomJobRequest, _: Any) -> gca_custom_job.CustomJob:
        job = gca_custom_job.CustomJob(request.custom_job)
        job.name = f"{request.parent}/customJobs/{next(self._ids)}"
        job.state = job_state.JobState.JOB_STATE_RUNNING
        with self._lock:
            self.jobs[job.name] = job
        threading.Thread(target=self._run, args=(job.name,), daemon=True).start()
        return job

    def get_custom_job(
        self, request: job_service.GetCustomJobRequest, context: grpc.ServicerContext
    ) -> gca_custom_job.CustomJob:
        with self._lock:
            if request.name not in self.jobs:
                context.abort(grpc.StatusCode.NOT_FOUND, f"CustomJob {request.name} not found")
            self._lock.wait_for(lambda: self.jobs[request.name].state in _ENDED, timeout=LONG_POLL_S)
            return gca_custom_job.CustomJob(self.jobs[request.name])

    def cancel_custom_job(self, request: job_service.CancelCustomJobRequest, _: Any) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def _run(self, name: str) -> None:
        import docker

        spec = self.jobs[name].job_spec.worker_pool_specs[0].container_spec
        client = docker.from_env()
        try:
            container = client.containers.run(
                spec.image_uri,
                command=[*spec.command, *spec.args],
                detach=True,
                network_mode="host",
                volumes={str(self.mount): {"bind": str(self.mount), "mode": "rw"}},
                environment={**self.environment, **{item.name: item.value for item in spec.env}},
            )
            status = container.wait()["StatusCode"]
            log = container.logs().decode(errors="replace")
            container.remove()
        except docker.errors.DockerException as exc:  # the job fails as Vertex AI's would, not the fake
            status, log = -1, f"the worker container did not run: {exc}"
        finally:
            client.close()
        print(log, end="")
        with self._lock:
            job = self.jobs[name]
            if status == 0:
                job.state = job_state.JobState.JOB_STATE_SUCCEEDED
            else:
                job.state = job_state.JobState.JOB_STATE_FAILED
                job.error = status_pb2.Status(code=code_pb2.INTERNAL, message=f"worker exited {status}: {log[-2000:]}")
            self._lock.notify_all()


def _handler(method: Any, request_type: Any, response_type: Any) -> grpc.RpcMethodHandler:
    serialize = (
        response_type.SerializeToString if hasattr(response_type, "SerializeToString") else response_type.serialize
    )
    return grpc.unary_unary_rpc_method_handler(
        method, request_deserializer=request_type.deserialize, response_serializer=serialize
    )


class ConnectProxy(socketserver.ThreadingTCPServer):
    """An HTTP CONNECT proxy on 127.0.0.1 that tunnels Vertex AI's hosts to ``target`` and refuses the rest."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        super().__init__(("127.0.0.1", 0), _Tunnel)


class _Tunnel(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        method, authority, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
        if method != "CONNECT" or not authority.endswith(HOST_SUFFIX):
            self.request.sendall(b"HTTP/1.1 403 Forbidden\r\n\r\n")
            return
        upstream = socket.create_connection(self.server.target)
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        sockets = [self.request, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 60)
                if not readable:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is self.request else self.request).sendall(data)
        finally:
            upstream.close()


class FakeCustomJobs:
    """The gRPC server and its proxy; :attr:`environment` is what a container needs to reach them."""

    def __init__(self, directory: Path, mount: Path, environment: dict[str, str]) -> None:
        self.service = FakeJobService(mount, dict(environment))
        key, certificate, self.ca_file = _certificates(directory)
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        handlers = {
            "CreateCustomJob": _handler(
                self.service.create_custom_job, job_service.CreateCustomJobRequest, gca_custom_job.CustomJob
            ),
            "GetCustomJob": _handler(
                self.service.get_custom_job, job_service.GetCustomJobRequest, gca_custom_job.CustomJob
            ),
            "CancelCustomJob": _handler(
                self.service.cancel_custom_job, job_service.CancelCustomJobRequest, empty_pb2.Empty
            ),
        }
        self._server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
        port = self._server.add_secure_port("127.0.0.1:0", grpc.ssl_server_credentials([(key, certificate)]))
        self._proxy = ConnectProxy(("127.0.0.1", port))
        self._proxy_thread = threading.Thread(target=self._proxy.serve_forever, daemon=True)

    @property
    def environment(self) -> dict[str, str]:
        host, port = self._proxy.server_address[:2]
        return {
            "grpc_proxy": f"http://{host}:{port}",
            "no_grpc_proxy": "localhost,127.0.0.1",
            "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH": str(self.ca_file),
        }

    def __enter__(self) -> FakeCustomJobs:  # noqa: PYI034 (Python 3.10 has no typing.Self)
        self._server.start()
        self._proxy_thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._proxy.shutdown()
        self._proxy.server_close()
        self._server.stop(grace=None)
