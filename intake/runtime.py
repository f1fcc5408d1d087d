"""The live connections one process needs: database engine, session factory, Redis client."""

from __future__ import annotations

from functools import cached_property
from zoneinfo import ZoneInfo

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot import places
from intake.classifier import taxonomy
from intake.classifier.taxonomy import Taxonomy
from intake.config import Settings
from intake.db import make_engine, make_session_factory
from intake.services.reception.links import LinkCache


def make_redis(url: str) -> redis.Redis:
    # Short timeouts and one quick retry (redis-py's default is ten, about 4 s per call): a health check
    # or an intake request must not hang while Redis is down. RQ workers run their own reconnect loop.
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30,
                                retry=Retry(ExponentialBackoff(cap=0.1, base=0.01), 1))


class Runtime:
    """Built lazily, so creating the app or importing a job module opens no connection."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.local_tz = ZoneInfo(settings.timezone)
        places.set_district_names(settings.district_names)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return taxonomy.load(self.settings.taxonomy_file)

    @cached_property
    def link_cache(self) -> LinkCache:
        return LinkCache(seconds=5)

    @cached_property
    def redis(self) -> redis.Redis:
        return make_redis(self.settings.redis_url)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
        if "redis" in self.__dict__:
            self.redis.close()
