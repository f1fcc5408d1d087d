"""gunicorn settings for the web process: `gunicorn --config python:intake.gunicorn_conf …`."""

import gc


def post_worker_init(worker):
    # Load jieba's dictionaries before the first request instead of during it (about a second).
    from bot.tokenizer import warm_up as load_tokenizer

    load_tokenizer()
    # jieba's dictionaries are hundreds of thousands of objects that live as long as the worker: keep
    # them out of the collector's full passes, which would otherwise pause requests for tens of ms.
    gc.freeze()
