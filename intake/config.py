"""Every setting of the service, read once from the environment, with safe defaults."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import socket
import urllib.parse
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.fernet import Fernet

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EMBEDDED_REDIS_SOCKET = "redis.sock"
# The port a running `mashang up` serves on, so that other commands (deputies list, qrcodes) give links on it.
WEB_PORT_FILE = "web-port"
# The periodic jobs' hour and minute by the district's clock (MASHANG_TIMEZONE), whatever the server's: reminders
# at the start of the working day, the personal-data cleanup at night, the radar's digest on Monday mornings.
REMINDERS_AT = (9, 7)
RETENTION_AT = (3, 17)
RADAR_DIGEST_AT = (9, 13)


def _instance_dir(env: dict) -> Path:
    return Path(env.get("MASHANG_INSTANCE", PROJECT_ROOT / "instance")).resolve()


def private_dir(path: Path) -> Path:
    """Create the folder readable by its owner only (0700): it holds the database, the secret and the demo
    passwords. A folder that already exists keeps the permissions someone chose for it."""
    if not path.exists():
        try:
            path.mkdir(parents=True, mode=0o700)
        except FileExistsError:  # the worker and the scheduler start at once on a new machine: one made it first
            return path
        path.chmod(0o700)  # mkdir's mode passes through the umask
    return path


def _secret_key(env: dict, instance: Path) -> str:
    """Use SECRET_KEY, else one generated once and kept beside the database.

    Keeping it on disk means sessions survive a restart on a laptop without
    anyone having to invent a secret by hand.
    """
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    return _kept_key(private_dir(instance) / "secret_key", lambda: secrets.token_hex(32))


def _kept_key(path: Path, make) -> str:
    """The key in the file, made once. It is written whole under a name of this process's own and linked into
    place, so the worker and the scheduler starting at once on a new machine both read the one that won."""
    if not path.exists():
        own = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(own, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(make())
        try:
            os.link(own, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(own)
    return path.read_text().strip()


def _networks(raw: str) -> tuple:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"METRICS_ALLOW must list addresses or networks, got {raw!r}") from exc


def _default_web_concurrency() -> int:
    # gunicorn's advice, 2 × cores + 1, capped at 4: each web process loads and holds jieba's dictionaries
    # (about 150 MB and a second or two of start-up), and a district's traffic is a few requests a second.
    return min(2 * (os.cpu_count() or 1) + 1, 4)


def _data_key(env: dict, instance: Path) -> str:
    """DATA_KEY (Fernet keys, newest first, comma-separated), else one generated once into the instance folder.

    It encrypts what we must be able to read back (a WeChat follower's openid); SECRET_KEY only hashes and signs.
    """
    if env.get("DATA_KEY"):
        return env["DATA_KEY"]
    return _kept_key(private_dir(instance) / "data_key", lambda: Fernet.generate_key().decode())


def _model_signing_key(env: dict, secret_key: str) -> bytes:
    """MODEL_SIGNING_KEY, else one derived from the secret key, so a laptop needs nothing set and a leaked
    session cookie does not reveal it."""
    if env.get("MODEL_SIGNING_KEY"):
        return env["MODEL_SIGNING_KEY"].encode()
    return hmac.new(secret_key.encode(), b"mashang classifier model signing", hashlib.sha256).digest()


def _progress_link_key(secret_key: str) -> bytes:
    """The key each browser's progress-link key is made from (progress_links.browser_key): derived from the secret
    key for this use alone, so a key for one purpose reveals nothing of another."""
    return hmac.new(secret_key.encode(), b"mashang progress link", hashlib.sha256).digest()


def _port(env: dict, instance: Path) -> int:
    """PORT, else the port `mashang up` said it serves on in this instance folder while something answers on it
    (a launcher killed outright leaves its file behind), else 5000."""
    if env.get("PORT"):
        return _int(env, "PORT", 5000)
    try:
        port = int((instance / WEB_PORT_FILE).read_text().strip())
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return port
    except (OSError, ValueError, OverflowError):
        return 5000


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
class LifecycleRules:
    """How suggestions are handled once registered: deadlines, the number format, where reply files go."""

    instance_dir: Path
    handling_days: int = 90  # HANDLING_DAYS: a unit's deadline from assignment
    return_days: int = 5  # RETURN_DAYS: how long after assignment a unit may ask to return a suggestion
    rehandling_days: int = 30  # REHANDLING_DAYS: the new deadline after an unsatisfied rating
    number_format: str = "{year}-{seq:03d}"  # SUGGESTION_NUMBER_FORMAT
    timezone: str = "Asia/Shanghai"  # MASHANG_TIMEZONE: which day it is for deadlines and the year of a number

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "LifecycleRules":
        env = dict(os.environ if environ is None else environ)
        number_format = env.get("SUGGESTION_NUMBER_FORMAT") or "{year}-{seq:03d}"
        try:
            number_format.format(year=2026, seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError("SUGGESTION_NUMBER_FORMAT may use only {year} and {seq}, "
                             f"got {number_format!r}") from exc
        return cls(
            instance_dir=_instance_dir(env),
            handling_days=max(1, _int(env, "HANDLING_DAYS", 90)),
            return_days=max(0, _int(env, "RETURN_DAYS", 5)),
            rehandling_days=max(1, _int(env, "REHANDLING_DAYS", 30)),
            number_format=number_format,
            timezone=env.get("MASHANG_TIMEZONE", "Asia/Shanghai"),
        )

    @property
    def replies_dir(self) -> Path:
        return self.instance_dir / "replies"


@dataclass(frozen=True)
class SmtpSettings:
    """Where reminder e-mails go out: SMTP_URL, smtp://user:pass@host:587?from=a@b&starttls=1 (smtps:// for TLS)."""

    host: str
    port: int
    username: str
    password: str
    sender: str
    starttls: bool
    tls: bool

    @classmethod
    def parse(cls, url: str) -> "SmtpSettings | None":
        if not url:
            return None
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parts.query)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname or not query.get("from"):
            raise ValueError("SMTP_URL must look like smtp://user:pass@host:port?from=address (or smtps://)")
        tls = parts.scheme == "smtps"
        return cls(host=parts.hostname, port=parts.port or (465 if tls else 25),
                   username=urllib.parse.unquote(parts.username or ""),
                   password=urllib.parse.unquote(parts.password or ""), sender=query["from"][0],
                   starttls=query.get("starttls", ["0"])[0] in ("1", "true", "yes"), tls=tls)


@dataclass(frozen=True)
class Settings:
    env: str
    instance_dir: Path
    database_url: str
    redis_url: str
    redis_embedded: bool
    secret_key: str
    base_url: str
    model_signing_key: bytes
    progress_link_key: bytes
    data_key: str = ""
    port: int = 5000
    base_url_given: bool = False  # BASE_URL was set; else the links follow the port
    max_message_chars: int = 2000
    draft_batch_interval: int = 60
    draft_min_citizens: int = 3
    radar_half_life_days: float = 14.0  # RADAR_HALF_LIFE_DAYS: a citizen's weight in heat halves every so many days
    sweep_after_seconds: int = 30
    worker_ttl: int = 60
    abandon_after_minutes: int = 30
    secure_cookies: bool = False
    timezone: str = "Asia/Shanghai"
    classifier_threshold: float = 0.5
    chat_per_minute: int = 20
    chat_per_address_per_minute: int = 120
    # A photo costs a decode and a re-encode, and a sender dropping the citizen cookie is a new citizen each time.
    chat_images_per_address_per_minute: int = 30
    uploads_per_hour: int = 30
    api_per_minute: int = 60
    api_refused_keys_per_address: int = 20  # in 15 minutes; beyond, the address waits out the window
    max_api_body_bytes: int = 64 * 1024
    retention_months: int = 24
    export_keep_days: int = 7
    export_max_rows: int = 20_000  # newest first; a broader filter is exported in parts
    outbound: str = "channels"
    taxonomy_file: str | None = None
    wechat_token: str = ""
    wechat_appid: str = ""
    wechat_appsecret: str = ""
    wechat_aes_key: str = ""
    wechat_api_base: str = "https://api.weixin.qq.com"
    secret_key_generated: bool = False
    data_key_generated: bool = False
    log_format: str = "text"
    log_file: Path | None = None
    metrics_dir: Path | None = None
    metrics_allow: tuple = ()
    metrics_token: str = ""
    web_concurrency: int = 3
    worker_count: int = 1
    trusted_proxies: int = 0
    lifecycle: LifecycleRules | None = None
    district_names: tuple = ()
    wecom_webhook_url: str = ""
    smtp: SmtpSettings | None = None
    office_email: str = ""

    def on_port(self, port: int) -> "Settings":
        """These settings for a web server started on `port` (mashang up --port): citizens' links point at it
        unless BASE_URL named the public address."""
        return replace(self, port=port, base_url=self.base_url if self.base_url_given else f"http://127.0.0.1:{port}")

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
        port = _port(env, instance)
        secret_key = _secret_key(env, instance)
        return cls(
            env=mode,
            instance_dir=instance,
            database_url=database_url,
            redis_url=redis_url,
            redis_embedded=embedded,
            secret_key=secret_key,
            model_signing_key=_model_signing_key(env, secret_key),
            progress_link_key=_progress_link_key(secret_key),
            data_key=_data_key(env, instance),
            base_url=env.get("BASE_URL", f"http://127.0.0.1:{port}").rstrip("/"),
            port=port,
            base_url_given="BASE_URL" in env,
            max_message_chars=_int(env, "MAX_MESSAGE_CHARS", 2000),
            draft_batch_interval=_int(env, "DRAFT_BATCH_INTERVAL", 60),
            draft_min_citizens=max(1, _int(env, "DRAFT_MIN_CITIZENS", 3)),
            radar_half_life_days=max(1.0, float(env.get("RADAR_HALF_LIFE_DAYS") or 14)),
            sweep_after_seconds=_int(env, "SWEEP_AFTER_SECONDS", 30),
            # RQ waits WORKER_TTL - 15 s for a job between heartbeats, so 16 is the least that works.
            worker_ttl=max(16, _int(env, "WORKER_TTL", 60)),
            abandon_after_minutes=_int(env, "ABANDON_AFTER_MINUTES", 30),
            secure_cookies=env.get("BASE_URL", "").startswith("https://"),
            timezone=env.get("MASHANG_TIMEZONE", "Asia/Shanghai"),
            classifier_threshold=float(env.get("CLASSIFIER_THRESHOLD") or 0.5),
            chat_per_minute=_int(env, "CHAT_PER_MINUTE", 20),
            chat_per_address_per_minute=_int(env, "CHAT_PER_ADDRESS_PER_MINUTE", 120),
            chat_images_per_address_per_minute=_int(env, "CHAT_IMAGES_PER_ADDRESS_PER_MINUTE", 30),
            uploads_per_hour=max(1, _int(env, "UPLOADS_PER_HOUR", 30)),
            api_per_minute=max(1, _int(env, "API_PER_MINUTE", 60)),
            api_refused_keys_per_address=max(1, _int(env, "API_REFUSED_KEYS_PER_ADDRESS", 20)),
            max_api_body_bytes=max(1024, _int(env, "MAX_API_BODY_BYTES", 64 * 1024)),
            retention_months=_int(env, "RETENTION_MONTHS", 24),
            export_keep_days=max(1, _int(env, "EXPORT_KEEP_DAYS", 7)),
            export_max_rows=max(1, _int(env, "EXPORT_MAX_ROWS", 20_000)),
            outbound=_choice(env, "OUTBOUND", ("channels", "record")),
            taxonomy_file=env.get("TAXONOMY_FILE") or None,
            wechat_token=env.get("WECHAT_TOKEN", ""),
            wechat_appid=env.get("WECHAT_APPID", ""),
            wechat_appsecret=env.get("WECHAT_APPSECRET", ""),
            wechat_aes_key=env.get("WECHAT_ENCODING_AES_KEY", ""),
            wechat_api_base=env.get("WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/"),
            secret_key_generated=not env.get("SECRET_KEY"),
            data_key_generated=not env.get("DATA_KEY"),
            log_format="json" if env.get("LOG_FORMAT", "").lower() == "json" else "text",
            log_file=Path(env["LOG_FILE"]) if env.get("LOG_FILE") else None,
            metrics_dir=Path(env["PROMETHEUS_MULTIPROC_DIR"]) if env.get("PROMETHEUS_MULTIPROC_DIR") else None,
            metrics_allow=_networks(env.get("METRICS_ALLOW", "127.0.0.1,::1")),
            metrics_token=env.get("METRICS_TOKEN", ""),
            web_concurrency=max(1, _int(env, "WEB_CONCURRENCY", _default_web_concurrency())),
            worker_count=max(1, _int(env, "WORKER_COUNT", 1)),
            trusted_proxies=max(0, _int(env, "TRUSTED_PROXIES", 0)),
            lifecycle=LifecycleRules.from_env(env),
            district_names=tuple(n.strip() for n in re.split(r"[,，、\s]+", env.get("DISTRICT_NAMES", "")) if n.strip()),
            wecom_webhook_url=env.get("WECOM_WEBHOOK_URL", ""),
            smtp=SmtpSettings.parse(env.get("SMTP_URL", "")),
            office_email=env.get("OFFICE_EMAIL", "").strip(),
        )
