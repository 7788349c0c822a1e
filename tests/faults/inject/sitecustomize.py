"""Loaded by every Python process the fault drill starts (its folder is on PYTHONPATH): when
ADCLICK_FAULT names a fault of the catalogue, apply it before any test or command runs. The
pytest process, the `adclick` commands DVC runs and the servers the tests start all get it."""

import os

if os.environ.get("ADCLICK_FAULT"):
    from tests.faults.catalogue import inject

    inject(os.environ["ADCLICK_FAULT"])
