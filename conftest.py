"""pytest, however it is started (``python3 tasks.py test`` or plain ``pytest``), runs in the
environment the notebooks' stored outputs were made in (``tasks.NOTEBOOK_ENV``): nbval's kernels
inherit it, and so does this process, which has not loaded NumPy (and its OpenBLAS) yet."""
import os

from tasks import NOTEBOOK_ENV

os.environ.update(NOTEBOOK_ENV)
