"""One lock for every use of pdfium in a process with threads.

pdfium is not thread-safe: two threads in it at once crash the process (seen: the API server
died with SIGSEGV when 24 uploads were routed at once, each probing its PDFs while another
request rendered a crop).  The readers run in processes of their own and need no lock; code that
runs in a server's request threads (the queue routing probe, the report crops) holds this one.
"""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.RLock()
