"""The gateway's public face, for the programs around the services: making and revoking tokens."""
from services.gateway.auth import NewToken, create_token, revoke_token
from services.gateway.errors import ApiError

__all__ = ["ApiError", "NewToken", "create_token", "revoke_token"]
