"""LOG_FORMAT=text: gunicorn's access line with the path the app chose to log, so a private link's token
(progress /p/…, sign-in, welcome) never reaches a log file."""

from __future__ import annotations

from gunicorn.glogging import Logger

# The WSGI environ key the app writes the loggable path under; gunicorn hands the same environ to its logger.
LOGGED_PATH = "mashang.logged_path"


class AccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # A request the app never saw (a malformed request line) logs no path at all rather than the raw one.
        path = environ.get(LOGGED_PATH, "-")
        atoms["U"] = path
        atoms["r"] = f"{atoms['m']} {path} {atoms['H']}"
        return atoms
