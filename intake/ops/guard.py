"""MASHANG_ENV=production: refuse to start on settings that are only fit for a laptop, warn on weak ones."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from intake.demo import loader
from intake.runtime import Runtime
from intake.services.privacy import sealed

log = logging.getLogger(__name__)


class ProductionRefused(RuntimeError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("生产环境（MASHANG_ENV=production）拒绝启动：\n" + "\n".join(f"  - {p}" for p in problems))


def check(runtime: Runtime) -> tuple[list[str], list[str]]:
    """(refusals, warnings) for this runtime; both empty outside production."""
    settings = runtime.settings
    if settings.env != "production":
        return [], []
    refusals = []
    if settings.secret_key_generated:
        refusals.append("未设置 SECRET_KEY（现在用的是自动生成、存在实例目录里的密钥）：请在环境变量中设置一个随机长字符串。")
    if settings.data_key_generated:
        refusals.append("未设置 DATA_KEY（现在用的是自动生成、存在实例目录里的密钥）：请在环境变量中设置一个 Fernet 密钥，"
                        "与 SECRET_KEY 不同，每台服务器相同。")
    else:
        try:
            sealed.keyring(settings.data_key)
        except ValueError:  # else every follower's WeChat message would fail when their openid is sealed
            refusals.append("DATA_KEY 不是有效的 Fernet 密钥：应为一个或多个（逗号分隔、新的在前）"
                            "由 Fernet.generate_key() 生成的 44 个字符的密钥。")
    if not settings.base_url.startswith("https://"):
        refusals.append(f"BASE_URL 不是 https 地址（现为 {settings.base_url}）：群众和代表的链接、登录 Cookie 都需要 https。")
    try:
        with runtime.sessions() as session:
            left = loader.accounts_left(session, settings.instance_dir)
    except SQLAlchemyError:
        left = []  # an unreachable database is the readiness probe's business, not a reason to refuse
    if left:
        refusals.append(f"数据库中还有演示账号（{'、'.join(left)}）：请停用或重设它们，并删除 "
                        f"{settings.instance_dir / loader.LOGINS_FILE}。")
    warnings = []
    if settings.database_url.startswith("sqlite"):
        warnings.append("数据库是 SQLite：只适合一台机器上的小规模试用，正式运行请用 PostgreSQL（DATABASE_URL）。")
    if settings.redis_embedded:
        warnings.append("Redis 是内置的（未设置 REDIS_URL）：正式运行请用独立的 Redis 服务。")
    return refusals, warnings


def enforce(runtime: Runtime) -> None:
    """Log each warning; raise ProductionRefused naming every refusal."""
    refusals, warnings = check(runtime)
    for warning in warnings:
        log.warning(warning)
    if refusals:
        raise ProductionRefused(refusals)
