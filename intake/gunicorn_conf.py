"""gunicorn settings for the web process: `gunicorn --config python:intake.gunicorn_conf …`."""

import gc

# The request line without its query string, and no referrer: WeChat's signature sets and sign-in links'
# `next` and tokens travel in query strings and must not end up in logs.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'


def post_worker_init(worker):
    # Load jieba's dictionaries before the first request instead of during it (about a second).
    from bot.places import warm_up as load_places
    from intake.classifier.tokenize import warm_up as load_tokenizer

    load_places()
    load_tokenizer()
    # jieba's dictionaries are hundreds of thousands of objects that live as long as the worker: keep
    # them out of the collector's full passes, which would otherwise pause requests for tens of ms.
    gc.freeze()
