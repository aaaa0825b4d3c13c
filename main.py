"""The app object (`main:app`), and `python main.py` to serve it with uvicorn on HOST:PORT (default 127.0.0.1:8000)."""

from directory.app import create_app
from directory.settings import get_settings

app = create_app(get_settings())

if __name__ == "__main__":
    import logging

    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    # access_log=False: our own access log leaves out query strings, which can carry postcodes.
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_config=None)
