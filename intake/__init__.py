"""The Flask app, the domain core (models, services, classifier) and the command line."""


def create_app(settings=None):
    # Imported here so that domain modules under intake/ can be used without loading Flask.
    from intake.app import create_app as _create_app

    return _create_app(settings)
