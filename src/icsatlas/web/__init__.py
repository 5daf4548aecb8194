"""The web: the open API (``/api/v1``) and the public portal, thin shells over the Workspace."""
