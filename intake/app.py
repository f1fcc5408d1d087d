"""create_app(): configuration, extensions, blueprints — nothing else."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from flask import Flask
from markupsafe import Markup, escape
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from intake.config import Settings
from intake.models import stages
from intake.runtime import Runtime
from intake import labels
from intake.services import points
from intake.services.console import triage
from intake.services.drafts import composing, desk, draft_text
from intake.services.privacy import masking
from intake.ops import logs
from intake.ops import metrics as process_metrics
from intake.services.reception import outbound, spam
from intake.services.lifecycle import figures, handling, states
from intake.web.json_body import JSONBodies
from intake.web import (access, api_v1, citizen, deputy, deputy_desk, deputy_suggestions, errors, favicon, health, home,
                        kept, metrics, open311, pages, probes, requests, staff, staff_admin, staff_apikeys, staff_groups, staff_ops,
                        staff_radar, staff_suggestions, staff_welcome, telemetry, unit, wechat, wording)
from workers.port import RqBackground

# Inside a longer text (an audit entry, a report's sentence, an API field's description): a date or a date and
# time, a figure with its unit (1件, 50.00%), a reply category (B类; its meaning in brackets breaks between its words,
# labels.REPLY_CATEGORY_WORDS: kept whole, C类（因条件限制暂时难以解决） left a phone's line before it half empty) or
# range of them (A–D), a rate of nothing (暂无), a name joined by hyphens (X-Api-Key: "X-" above "Api-Key" reads as
# two names).
_FIGURE_IN_TEXT = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?"
                             r"|(?:占\s?)?\d+(?:\.\d+)?\s?(?:%|件|条|天|个|次|名|人)"
                             r"|[A-D]\s?类|[A-D]–[A-D]|暂无"
                             r"|(?<![A-Za-z0-9_-])[A-Za-z]+(?:-[A-Za-z]+)+(?![A-Za-z0-9_-])")

# A word of ours that reads wrong split over two lines (二 / 维码, 接 / 口密钥, 逐步解 / 决).
_TERM_IN_TEXT = re.compile("|".join(re.escape(term) for term in labels.WHOLE_TERMS))


def _tel(phone: str | None) -> str:
    """A tel: link's address: the digits (and a leading +) a phone dials, whatever spaces, hyphens, brackets or
    full-width figures the number was written with (0731-8888 6666 once gave tel:07318888 6666)."""
    return "tel:" + re.sub(r"[^0-9+]", "", unicodedata.normalize("NFKC", phone or ""))


def _when(moment: datetime, local_tz) -> str:
    """A time as every deputy page writes it: 12-05 20:53 this year, 2025-12-05 20:53 before."""
    local = moment.astimezone(local_tz)
    return local.strftime("%m-%d %H:%M" if local.year == datetime.now(local_tz).year else "%Y-%m-%d %H:%M")


def _terms_whole(text, *more: str) -> Markup:
    """The text escaped, each of our words that reads wrong split kept on one line, and those `more` a page names
    (代表工委 on the progress page, not on every page)."""
    terms = re.compile("|".join([*map(re.escape, more), _TERM_IN_TEXT.pattern])) if more else _TERM_IN_TEXT
    return Markup(terms.sub(lambda found: f'<span class="nowrap">{found.group(0)}</span>', str(escape(text))))


# A phone number in a citizen's words, whole or masked (0731-84123456, 0731-****3456): it broke at its hyphen.
_NUMBER_IN_TEXT = re.compile(r"[0-9*]+(?:-[0-9*]+)+")

# A receipt number in the chat, and a suggestion's (第 2026-002 号) or a phone number beside it: its hyphens would
# let it break in the middle (第 2026- / 002 号 on a phone), and half a number is no number. chat.js keeps the same.
_RECEIPT_IN_TEXT = re.compile(rf"MS-\d{{8}}-\d+|{_NUMBER_IN_TEXT.pattern}")


def _receipts_whole(text) -> Markup:
    """The text escaped, each receipt, suggestion or phone number in it kept on one line."""
    return Markup(_RECEIPT_IN_TEXT.sub(lambda found: f'<span class="nowrap">{found.group(0)}</span>',
                                       str(escape(text))))


def _numbers_whole(text) -> Markup:
    """The text escaped, each number written with hyphens in it kept on one line."""
    return Markup(_NUMBER_IN_TEXT.sub(lambda found: f'<span class="nowrap">{found.group(0)}</span>', str(escape(text))))


# The count behind a printed rate (figures.percent_text): 66.7%（2/3）.
_RATE_COUNT = re.compile(r"(?<=%)（\d+/\d+）")


def _count_apart(text) -> Markup:
    """The text escaped, a rate's count set apart so it may go under the rate: Unicode keeps 66.7%（2/3） on one line
    (no break between % and an opening bracket before a digit), which ran a tile's or a column's figure off its edge."""
    return Markup(_RATE_COUNT.sub(lambda found: f'<wbr><span class="count">{found.group(0)}</span>', str(escape(text))))


def _figures_whole(text) -> Markup:
    """The text escaped, each date and figure in it kept on one line."""
    return Markup(_FIGURE_IN_TEXT.sub(lambda found: f'<span class="nowrap">{found.group(0)}</span>',
                                      str(escape(text))))


def _one_line(text: str) -> str:
    """A message's lines (its description, the answer to the follow-up question) on one line, parted by ／: a space
    between them read as one run-on sentence (晚上很黑 在青石街道…)."""
    return "／".join(line.strip() for line in text.splitlines() if line.strip())


BRIEF_CHARACTERS = 36  # a queue card's words: three lines on a 320 px phone


def _brief(text: str) -> str:
    """A message's words for a queue card: its lines on one line, the answers after the first kept whole and the
    description cut to leave them room. The answer is mostly where (就在青石街道幸福小区东门): cut with the rest after
    two lines, the place read 在青石街… and a clerk opened every message to learn which estate. A greeting or a
    clause announcing a problem (我们小区那边有点问题想反映一下) opens no card."""
    lines = [line.strip() for line in composing.told(text).splitlines() if line.strip()]
    whole = "／".join(lines)
    if len(whole) <= BRIEF_CHARACTERS:
        return whole
    answers = "／".join(lines[1:])
    room = BRIEF_CHARACTERS - len(answers) - 2  # the description's share, less its … and ／
    if answers and room >= 8:
        return lines[0][:room] + "…／" + answers
    return whole[:BRIEF_CHARACTERS - 1] + "…"


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    logs.configure(settings.log_format, settings.log_file)
    process_metrics.configure(settings.metrics_dir)
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
    app.json = JSONBodies(app)
    app.json.ensure_ascii = False
    if settings.trusted_proxies:
        # Behind the TLS proxy every citizen arrives from its address: limits need the one it forwards.
        # Only as many forwarded hops as there are proxies are believed; anything earlier is the client's word.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies)
    runtime = app.extensions["mashang"] = Runtime(settings)
    app.extensions["mashang.background"] = RqBackground(lambda: runtime.redis, settings.worker_ttl)
    app.extensions["mashang.outbound"] = outbound.channels(settings, lambda: runtime.redis)
    app.jinja_env.filters["mask"] = masking.mask
    app.jinja_env.filters["spam_reasons"] = spam.readable_reasons
    app.jinja_env.filters["mask_draft"] = masking.in_draft
    app.jinja_env.filters["local"] = lambda moment, fmt: moment.astimezone(runtime.local_tz).strftime(fmt)
    app.jinja_env.filters["when"] = lambda moment: _when(moment, runtime.local_tz)
    # A date, time or number kept on one line: "2026-12-" above "03" reads as two things.
    app.jinja_env.filters["nowrap"] = lambda value: Markup('<span class="nowrap">%s</span>') % value
    app.jinja_env.filters["figures_whole"] = _figures_whole
    app.jinja_env.filters["receipts_whole"] = _receipts_whole
    app.jinja_env.filters["numbers_whole"] = _numbers_whole
    app.jinja_env.filters["tel"] = _tel
    app.jinja_env.filters["count_apart"] = _count_apart
    app.jinja_env.filters["terms_whole"] = _terms_whole
    app.jinja_env.filters["one_line"] = _one_line
    app.jinja_env.filters["brief"] = _brief
    app.jinja_env.filters["problem_in"] = desk.problem_in
    app.jinja_env.globals.update(MESSAGE_STATUS=labels.MESSAGE_STATUS, DRAFT_STATUS=labels.DRAFT_STATUS,
                                 FLAGS=labels.FLAGS, CHANNELS=labels.CHANNELS, ATTENTION=labels.ATTENTION, ROLES=labels.ROLES, QUEUES=labels.QUEUES,
                                 WORKER_STATES=labels.WORKER_STATES, JOB_IN_WORDS=labels.job_in_words,
                                 REVISION_ACTIONS=labels.REVISION_ACTIONS, NOTE_LIMIT=triage.NOTE_LIMIT,
                                 REASON_LIMIT=triage.REASON_LIMIT,
                                 CLASSIFIED=lambda confirmed, confidence: labels.classified(
                                     confirmed, confidence, settings.classifier_threshold),
                                 SURENESS=lambda confidence: labels.sureness(confidence, settings.classifier_threshold),
                                 text_of=draft_text.text_of, lines_of=draft_text.lines_of, numbered_points=points.numbered,
                                 wording=wording.sentence,
                                 submitted=stages.submitted, editable=stages.editable, UNSENT=stages.MESSAGES_UNSENT,
                                 SUGGESTION_STATUS=states.LABELS, EVENT_KIND=states.ACTION_LABELS,
                                 SUGGESTION_KIND=handling.KINDS, REPLY_CATEGORY=handling.CATEGORIES,
                                 REPLY_STATE=labels.REPLY_STATE,
                                 DELIVERY_CHANNELS=labels.DELIVERY_CHANNELS, DELIVERY_STATES=labels.DELIVERY_STATES,
                                 CONTACT_STAGE=handling.STAGES,
                                 CONTACT_WAY=handling.WAYS, RATING_LEVEL=handling.LEVELS, actor_name=pages.actor_name,
                                 rate_text=figures.rate_text, share_text=figures.share_text,
                                 percent_text=figures.percent_text,
                                 typed=kept.typed, chosen=kept.chosen, ticked=kept.ticked, given_back=kept.given_back,
                                 file_chosen=kept.file_chosen,
                                 may=lambda suggestion, action: states.allowed(suggestion.status, action))
    app.jinja_env.filters["chart_row"] = pages.chart_row
    telemetry.init_app(app)
    # Who may open a route is decided before anything reads the body: a stranger's 10 MB upload is refused
    # at sign-in (401 or the login page), not read by the CSRF check first.
    access.init_app(app)
    app.before_request(citizen.allow_photo_bodies)
    app.before_request(unit.allow_reply_bodies)
    csrf = CSRFProtect(app)
    csrf.exempt(wechat.bp)  # WeChat's server signs its requests instead; checked in the view
    csrf.exempt(open311.bp)  # integrating systems carry an API key, not a browser's cookie
    csrf.exempt(api_v1.bp)  # integrating systems send a key in a header, never a cookie
    requests.init_app(app)
    errors.init_app(app)
    for blueprint in (citizen.bp, wechat.bp, deputy.bp, deputy_desk.bp, deputy_suggestions.bp, staff.bp,
                      staff_admin.bp, staff_apikeys.bp, staff_groups.bp, staff_ops.bp, staff_radar.bp, staff_suggestions.bp,
                      staff_welcome.bp, unit.bp, health.bp, probes.bp, metrics.bp, open311.bp, favicon.bp, home.bp):
        app.register_blueprint(blueprint)
    api_v1.init_app(app)
    from intake.cli import register

    register(app)
    return app
