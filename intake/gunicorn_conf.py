"""gunicorn settings for the web process: `gunicorn --config python:intake.gunicorn_conf …`."""


def post_worker_init(worker):
    # Load jieba's dictionaries before the first request instead of during it (about a second).
    from bot.places import warm_up as load_places
    from intake.classifier.tokenize import warm_up as load_tokenizer

    load_places()
    load_tokenizer()
