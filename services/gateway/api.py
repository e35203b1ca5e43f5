"""The gateway's public face, for the programs around the services: making a token."""
from services.gateway.auth import create_token

__all__ = ["create_token"]
