"""create_app(): configuration, extensions, blueprints — nothing else."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from intake.config import Settings
from intake.models import stages
from intake.runtime import Runtime
from intake import labels
from intake.services.drafts import review
from intake.services.privacy import masking
from intake.services.reception import outbound
from intake.web import access, citizen, deputy, errors, health, requests, staff, staff_admin, staff_ops, wechat, wording
from workers.port import RqBackground


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=256 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        # Cookies are re-sent only when the session changes; sign-in sessions expire by their start time.
        SESSION_REFRESH_EACH_REQUEST=False,
        WTF_CSRF_TIME_LIMIT=None,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    runtime = app.extensions["mashang"] = Runtime(settings)
    app.extensions["mashang.background"] = RqBackground(lambda: runtime.redis)
    app.extensions["mashang.outbound"] = outbound.channels(settings, lambda: runtime.redis)
    app.jinja_env.filters["mask"] = masking.mask
    app.jinja_env.filters["local"] = lambda moment, fmt: moment.astimezone(runtime.local_tz).strftime(fmt)
    app.jinja_env.globals.update(MESSAGE_STATUS=labels.MESSAGE_STATUS, DRAFT_STATUS=labels.DRAFT_STATUS,
                                 FLAGS=labels.FLAGS, CHANNELS=labels.CHANNELS, ROLES=labels.ROLES,
                                 REVISION_ACTIONS=labels.REVISION_ACTIONS,
                                 text_of=review.text_of, lines_of=review.lines_of, wording=wording.sentence,
                                 submitted=stages.submitted, editable=stages.editable)
    csrf = CSRFProtect(app)
    csrf.exempt(wechat.bp)  # WeChat's server signs its requests instead; checked in the view
    requests.init_app(app)
    errors.init_app(app)
    for blueprint in (citizen.bp, wechat.bp, deputy.bp, staff.bp, staff_admin.bp, staff_ops.bp, health.bp):
        app.register_blueprint(blueprint)
    access.init_app(app)
    from intake.cli import register

    register(app)
    return app
