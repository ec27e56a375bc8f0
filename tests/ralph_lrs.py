"""Starts ralph's learning record store (run with the LRS venv's python, which make test
builds in .venv/lrs): ``python tests/ralph_lrs.py HOST PORT``. Configured by RALPH_*
environment variables (file backend, credentials file, CORS origins).

ralph 5.1's file backend opens its statements file with "create" for every write, so only the
first POST to the LRS is stored and every later one fails with 500 (the file exists); its
other operation, "append", is what an LRS needs. We run the file backend in append mode and
leave the rest of ralph (its xAPI API, validation, authentication, queries) as it ships.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
