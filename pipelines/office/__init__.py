"""The office's own state beside the database: accounts, sessions and the audit trail (one SQLite file).

Loads replace only the DuckDB file; this store is never copied, swapped or cleaned by a load.
"""
