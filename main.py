"""The app object (`main:app`), and `python main.py` to serve it with uvicorn on HOST:PORT (default 127.0.0.1:8000).

Bad settings, an unreachable or read-only database and a missing gazetteer stop it with one line naming the
problem and the fix (exit status 1), never a traceback.
"""

import sys

from pydantic import ValidationError

from directory.app import create_app
from directory.settings import Settings, get_settings, settings_problem


def _settings_or_exit() -> Settings:
    try:
        return get_settings()
    except ValidationError as error:
        sys.exit(settings_problem(error))


app = create_app(_settings_or_exit())

if __name__ == "__main__":
    import logging

    import uvicorn

    from directory import startup
    from directory.app import prepare_database

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    try:
        prepare_database(settings, app.state.engine)
    except startup.StartupProblem as problem:
        sys.exit(f"Cannot start: {problem}")
    # access_log=False: our own access log leaves out query strings, which can carry postcodes.
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_config=None)
