"""Every setting of the service, read once from the environment, with safe defaults."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_REDIS_SOCKET = "redis.sock"


def _instance_dir(env: dict) -> Path:
    return Path(env.get("MASHANG_INSTANCE", PROJECT_ROOT / "instance")).resolve()


def _secret_key(env: dict, instance: Path) -> str:
    """Use SECRET_KEY, else one generated once and kept beside the database.

    Keeping it on disk means sessions survive a restart on a laptop without
    anyone having to invent a secret by hand.
    """
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def _int(env: dict, name: str, default: int) -> int:
    value = env.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from exc


def _choice(env: dict, name: str, allowed: tuple[str, ...]) -> str:
    """One of `allowed`; unset means the first."""
    value = env.get(name) or allowed[0]
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


@dataclass(frozen=True)
class Settings:
    env: str
    instance_dir: Path
    database_url: str
    redis_url: str
    redis_embedded: bool
    secret_key: str
    base_url: str
    port: int = 5000
    max_message_chars: int = 2000
    draft_batch_interval: int = 60
    draft_min_citizens: int = 3
    sweep_after_seconds: int = 30
    abandon_after_minutes: int = 30
    secure_cookies: bool = False
    timezone: str = "Asia/Shanghai"
    classifier_threshold: float = 0.5
    chat_per_minute: int = 20
    chat_per_address_per_minute: int = 120
    retention_months: int = 24
    export_keep_days: int = 7
    outbound: str = "channels"
    taxonomy_file: str | None = None
    wechat_token: str = ""
    wechat_appid: str = ""
    wechat_appsecret: str = ""
    wechat_aes_key: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com"

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Settings":
        env = dict(os.environ if environ is None else environ)
        instance = _instance_dir(env)
        mode = env.get("MASHANG_ENV", "development")
        redis_url = env.get("REDIS_URL", "")
        embedded = not redis_url
        if embedded:
            redis_url = f"unix://{instance / EMBEDDED_REDIS_SOCKET}"
        database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'mashang.db'}"
        # Heroku-style URLs name the dialect "postgres"; SQLAlchemy wants the driver spelled out.
        if database_url.startswith(("postgres://", "postgresql://")):
            database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]
        port = _int(env, "PORT", 5000)
        return cls(
            env=mode,
            instance_dir=instance,
            database_url=database_url,
            redis_url=redis_url,
            redis_embedded=embedded,
            secret_key=_secret_key(env, instance),
            base_url=env.get("BASE_URL", f"http://127.0.0.1:{port}").rstrip("/"),
            port=port,
            max_message_chars=_int(env, "MAX_MESSAGE_CHARS", 2000),
            draft_batch_interval=_int(env, "DRAFT_BATCH_INTERVAL", 60),
            draft_min_citizens=max(1, _int(env, "DRAFT_MIN_CITIZENS", 3)),
            sweep_after_seconds=_int(env, "SWEEP_AFTER_SECONDS", 30),
            abandon_after_minutes=_int(env, "ABANDON_AFTER_MINUTES", 30),
            secure_cookies=env.get("BASE_URL", "").startswith("https://"),
            timezone=env.get("MASHANG_TIMEZONE", "Asia/Shanghai"),
            classifier_threshold=float(env.get("CLASSIFIER_THRESHOLD") or 0.5),
            chat_per_minute=_int(env, "CHAT_PER_MINUTE", 20),
            chat_per_address_per_minute=_int(env, "CHAT_PER_ADDRESS_PER_MINUTE", 120),
            retention_months=_int(env, "RETENTION_MONTHS", 24),
            export_keep_days=max(1, _int(env, "EXPORT_KEEP_DAYS", 7)),
            outbound=_choice(env, "OUTBOUND", ("channels", "record")),
            taxonomy_file=env.get("TAXONOMY_FILE") or None,
            wechat_token=env.get("WECHAT_TOKEN", ""),
            wechat_appid=env.get("WECHAT_APPID", ""),
            wechat_appsecret=env.get("WECHAT_APPSECRET", ""),
            wechat_aes_key=env.get("WECHAT_ENCODING_AES_KEY", ""),
            wechat_api_base=env.get("WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/"),
        )
