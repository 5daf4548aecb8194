"""Accounts: who may change the register, and within what.

Reading is open to everyone (the *viewer* role needs no account). An *editor* may change
what their scopes name (``board:QWO`` is the board of NHS Shropshire, Telford and Wrekin ICB,
``contracts:*`` every area's contracts, ``*:QWO`` everything of QWO); an *admin* may change
anything. People sign in to the portal with a password (kept as its argon2 hash) and reach
the API with a token (random, shown once, kept as an HMAC-SHA256 under the workspace's
server key), each with an expiry and revocable::

    from icsatlas.accounts import users
    users.add(store, "amira", "editor", [Scope.parse("board:QWO")], password)
    text, token = users.create_token(store, key, "amira", days=30)
    users.authenticate(store, key, text)          # -> Principal(name="amira", ...)

Every account change is recorded in the audit log (kind ``accounts``), never its secrets.
"""

from icsatlas.accounts.scopes import DOMAINS, ROLES, Principal, Scope

__all__ = ["DOMAINS", "ROLES", "Principal", "Scope"]
