"""Start the dashboard with the HTTP gate: `streamlit run serve.py` (what `make run` does).

Streamlit 1.67's st.App serves dashboard.py (the router) and lets us put ASGI middleware in front of
its routes: views/http_gate.py refuses /media/ downloads without a live session when accounts are on,
and /_stcore/metrics. `streamlit run dashboard.py` still works but has no such gate.
"""

import streamlit as st
from starlette.middleware import Middleware

from views.http_gate import HttpGate

app = st.App("dashboard.py", middleware=[Middleware(HttpGate)])
