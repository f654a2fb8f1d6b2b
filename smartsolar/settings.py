"""The one settings object. Every variable is `SMARTSOLAR_<NAME>`; defaults run everything on one machine."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SMARTSOLAR_", extra="ignore")

    # Local state of `make run`: the SQLite database and Temporal's own file.
    var_dir: Path = ROOT / "var"
    # Empty: a SQLite file under var_dir. PostgreSQL: postgresql+psycopg2://user@host:5432/db
    database_url: str = ""
    # Empty: `make run` starts an embedded `temporal server start-dev`; set it to use a cluster.
    temporal_address: str = ""
    temporal_namespace: str = "default"
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    task_queue: str = "smartsolar"
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    influx_url: str = ""
    admin_username: str = "admin"
    admin_password: str = "admin"

    token_lifetime_seconds: int = 3 * 3600
    # Sliding expiry is written back at most this often per token, so reads stay read-only.
    token_refresh_seconds: int = 60
    # scrypt cost for password hashes (2**14 is ~50 ms; tests may lower it).
    password_hash_cost: int = 2**14
    max_results_per_page: int = 1000

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'smartsolar.db'}"
        return self

    @property
    def temporal_target(self) -> str:
        return self.temporal_address or f"127.0.0.1:{self.temporal_port}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
