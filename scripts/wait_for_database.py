"""Exit 0 once the database at argv[1] answers (within 10 seconds), 1 otherwise. Used by scripts/test.sh."""

import sys
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

url = make_url(sys.argv[1]).set(drivername="postgresql+psycopg")
engine = create_engine(url, connect_args={"connect_timeout": 2})
for _ in range(5):
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        sys.exit(0)
    except Exception as error:
        last = error
        time.sleep(2)
print(f"cannot reach {url.render_as_string(hide_password=True)}: {last}", file=sys.stderr)
sys.exit(1)
