"""Media's own adapters: its tables and where the bytes are kept."""
