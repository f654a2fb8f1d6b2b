"""The one settings object. Every variable is `SMARTSOLAR_<NAME>`; defaults run everything on one machine."""

from __future__ import annotations

import hmac
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
# Written in the source, so it only ever authenticates the simulated gateway's receipts.
SIMULATED_RECEIPT_KEY = "simulated-gateway-key"


class InsecureSettings(RuntimeError):
    """Settings a process must not start with."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SMARTSOLAR_", extra="ignore")

    # Local state of `make run`: the SQLite database and Temporal's own file.
    var_dir: Path = ROOT / "var"
    # Empty: a SQLite file under var_dir. PostgreSQL: postgresql+psycopg2://user@host:5432/db
    database_url: str = ""
    # Empty: `make run` starts an embedded `temporal server start-dev`; set it to use a cluster.
    temporal_address: str = ""
    temporal_namespace: str = "default"
    # A remote cluster: TLS (on when any of these is set; the CA only for a private CA, client cert + key
    # for mTLS, the server name when it differs from the address) and/or an API key (sent over TLS only).
    temporal_tls: bool = False
    temporal_tls_ca_file: str = ""
    temporal_tls_cert_file: str = ""
    temporal_tls_key_file: str = ""
    temporal_tls_server_name: str = ""
    temporal_api_key: str = ""
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    # A device workflow continues as new once its history is this long (besides Temporal's own suggestion).
    device_max_history_events: int | None = None
    # How long a request waits for Temporal (connecting, or one call) before it answers 503.
    temporal_unavailable_seconds: float = 2.0
    task_queue: str = "smartsolar"
    # A stopping worker lets activities in flight finish for this long before cancelling them: a cancel
    # interrupts the activity's thread, e.g. between a webhook POST and the line that logs it.
    worker_shutdown_grace_seconds: float = 20
    # Workflow tasks one worker takes at once: more only queue inside it, where their time counts towards
    # the task's timeout (a burst of new runs then timed out and was redone); the rest wait on the server.
    worker_workflow_tasks: int = 8
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # Telemetry: "influx" or "embedded" (points in this database); empty: influx when influx_url is set.
    telemetry_backend: str = ""
    # InfluxDB's 1.x HTTP API (1.x itself, or 2.x / 3.x v1-compatible endpoints), e.g. http://127.0.0.1:8086
    influx_url: str = ""
    influx_database: str = "smartsolar"
    influx_username: str = ""
    influx_password: str = ""
    influx_timeout_seconds: float = 10
    admin_username: str = "admin"
    admin_password: str = "admin"

    token_lifetime_seconds: int = 3 * 3600
    # Sliding expiry is written back at most this often per token, so reads stay read-only.
    token_refresh_seconds: int = 60
    # scrypt cost for password hashes (2**14 is ~50 ms; tests may lower it).
    password_hash_cost: int = 2**14
    max_results_per_page: int = 1000
    # Failed logins / wrong device keys allowed per username, imei and client address (`limits` notation),
    # and where the windows are kept (`memory://` per process, or e.g. `redis://host:6379`).
    login_failures_per_username: str = "10 per 5 minutes"
    unit_failures_per_imei: str = "10 per 5 minutes"
    failures_per_address: str = "50 per 5 minutes"
    attempt_storage_uri: str = "memory://"

    # Wake-up SMS (the doc: wakeups expire after 3600 s).
    wakeup_sms_timeout_seconds: float = 3600
    wakeup_max_retries: int = 3
    wakeup_retry_backoff_seconds: float = 600
    wakeup_backoff_coefficient: float = 2.0
    # DCM: payment commands the unit has not taken go by SMS when it has not connected for this long, in at
    # most this many SMS rounds per silence (each SMS expires after wakeup_sms_timeout_seconds).
    dcm_sms_fallback_seconds: float = 6 * 3600
    dcm_sms_max_rounds: int = 3
    # A software update offered this many times (RC-GETs) without the unit reporting it is `failed`.
    software_max_update_attempts: int = 5
    # Empty: the simulated gateway. Otherwise a provider that takes {"to", "message"} with a bearer key.
    sms_gateway_url: str = ""
    sms_gateway_key: str = ""
    # What the gateway must send in `X-SMS-Gateway-Key` with delivery receipts. The default is the simulated
    # gateway's and is refused once a real gateway is configured (see `check_sms_receipt_key`).
    sms_receipt_key: str = SIMULATED_RECEIPT_KEY
    # Where the simulated gateway hands SMS to a simulated fleet (`smartsolar simulate` prints it).
    sms_simulator_url: str = ""
    # `make run FLEET=n`: where that fleet's simulated SMS network listens.
    simulator_port: int = 8765

    # Signs webhooks: each subscriber's key is derived from it. Empty: a random one kept in var_dir/secret_key.
    # The API and every worker must share it; changing it invalidates every subscriber's key.
    secret_key: str = ""
    # Webhook delivery: one attempt's HTTP timeout, then retries with exponential backoff for up to 3 days.
    webhook_timeout_seconds: float = 10
    webhook_retry_initial_seconds: float = 10
    webhook_retry_backoff_coefficient: float = 2.0
    webhook_retry_max_interval_seconds: float = 3600
    webhook_retry_max_age_seconds: float = 3 * 24 * 3600
    # Webhooks never go to loopback, private, link-local, multicast or unspecified addresses, except to
    # these comma-separated addresses / CIDR networks (e.g. `127.0.0.1` for a receiver on this host).
    webhook_allowed_networks: str = ""
    # How often the sweeper starts deliveries that no one dispatched (a crash between commit and start).
    webhook_sweep_seconds: float = 60

    # RTC units (real-time connection) over RabbitMQ. Unreachable at start: RTC is off, its endpoints 503.
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # Prepended to every exchange and queue name (tests give each run its own names on one broker).
    amqp_prefix: str = ""
    # How long a pushed change waits for the unit's delivery report before falling back to RC-GET / SMS.
    rtc_reply_timeout_seconds: float = 20
    # Unacknowledged MO messages one consumer holds at once.
    rtc_consumer_prefetch: int = 64
    # Status reports (of different units) the consumer applies in one transaction at most.
    rtc_consumer_batch: int = 32
    # How long the API waits for the broker before answering 503.
    amqp_connect_timeout_seconds: float = 3

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'smartsolar.db'}"
        return self

    @property
    def uses_simulated_sms(self) -> bool:
        return not self.sms_gateway_url

    def check_sms_receipt_key(self) -> None:
        """The API and the worker refuse to start with a real gateway and the source's receipt key."""
        if not self.uses_simulated_sms and self.sms_receipt_key in ("", SIMULATED_RECEIPT_KEY):
            raise InsecureSettings(
                "SMARTSOLAR_SMS_GATEWAY_URL names a real SMS gateway, so SMARTSOLAR_SMS_RECEIPT_KEY must be set "
                "to that gateway's own receipt key (the default only authenticates the simulated gateway)"
            )

    def sms_receipt_key_accepted(self, key: str) -> bool:
        """Whether a receipt carrying `key` comes from our gateway (constant-time comparison)."""
        if not self.uses_simulated_sms and self.sms_receipt_key in ("", SIMULATED_RECEIPT_KEY):
            return False
        return hmac.compare_digest(key.encode(), self.sms_receipt_key.encode())

    @property
    def temporal_target(self) -> str:
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
